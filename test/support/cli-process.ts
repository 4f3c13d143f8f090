import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A finished run of the `ephemail` program. */
export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A run still going: its output so far, and its end. */
export interface RunningProgram {
  stdout(): string;
  /** Sends `signal` to the process (SIGTERM to stop it, SIGKILL to crash it). */
  kill(signal: NodeJS.Signals): void;
  done: Promise<ProgramRun>;
}

/**
 * Runs `ephemail args...` as a child process from the repository root: the
 * TypeScript sources through tsx, or `node dist/main.js` with `built`. No
 * EPHEMAIL_* variables from the outside reach it, only those in `env`.
 */
export function startProgram(args: string[], options: { env?: Record<string, string>; built?: boolean } = {}): RunningProgram {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EPHEMAIL_')));
  const entry = options.built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: ROOT, env: { ...clean, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const done = new Promise<ProgramRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { stdout: () => stdout, kill: (signal) => child.kill(signal), done };
}

/** Runs `ephemail args...` to its end (see `startProgram`). */
export function runProgram(args: string[], options: { env?: Record<string, string>; built?: boolean } = {}): Promise<ProgramRun> {
  return startProgram(args, options).done;
}
