import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * ProcessLog.exit in a real process whose standard output nobody reads any
 * more: the reader gone (`| head`), or there but no longer reading. A plain
 * process.exit hangs in both cases, in pino's flush at exit, with the ports
 * already closed. test/app/main.test.ts stops the whole command that way.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children = new Set<ChildProcess>();
const EXIT_MS = 8_000;

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** A process that, told to on stdin, logs `lines` lines of 1 KB at info and calls exit(3). */
async function lastWords(lines: number): Promise<{ child: ChildProcess; go: () => void; exit: Promise<unknown[]> }> {
  const script = `
    import { createProcessLog } from './src/runtime/log.ts';
    const { log, exit } = createProcessLog('info');
    process.stdin.once('data', () => {
      for (let i = 0; i < ${lines}; i += 1) log.info('x'.repeat(1000));
      exit(3);
    });
    process.stderr.write('ready\\n');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'pipe' });
  children.add(child);
  const exit = once(child, 'exit').finally(() => children.delete(child));
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('ready\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`exited before it was ready:\n${stderr}`)));
  });
  return { child, go: () => child.stdin.write('go\n'), exit };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('ProcessLog.exit', () => {
  it.concurrent('exits with its code when the reader of stdout has gone', async () => {
    const { child, go, exit } = await lastWords(1);
    child.stdout!.destroy();
    await once(child.stdout!, 'close');
    go();
    expect(await within(exit, EXIT_MS)).toEqual([3, null]);
  }, 60_000);

  it.concurrent('exits with its code when the reader of stdout has stopped reading, dropping what does not fit', async () => {
    const { child, go, exit } = await lastWords(2_000);
    // 2 MB of lines, more than the socket between the two processes holds.
    child.stdout!.pause();
    go();
    expect(await within(exit, EXIT_MS)).toEqual([3, null]);
  }, 60_000);
});
