import type { Writable } from 'node:stream';

/** What a command may touch: its output and the environment, nothing global. */
export interface CommandContext {
  stdout: Pick<Writable, 'write'>;
  env: Readonly<Record<string, string | undefined>>;
}

/** One subcommand of `ephemail`. */
export interface Command {
  /** One line for the top-level `--help`, at most 50 columns. */
  summary: string;
  /** The whole `--help` text, lines of at most 80 columns. */
  help: string;
  /** Runs with the arguments after the command's name; throws `CommandFailure` to end with a sentence. */
  run(args: readonly string[], context: CommandContext): Promise<void>;
}

/**
 * The exit codes of every command, so a script can tell a timeout from a
 * typo: 0 done, 1 the server failed or could not be reached, 2 bad
 * arguments (here or, with a 400, at the server), 3 no message in time, 4 the
 * message lacks what was asked for.
 */
export const EXIT = { failure: 1, usage: 2, timeout: 3, missing: 4 } as const;

/** Ends a command with one sentence on stderr and its exit code. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';

  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

/** Bad arguments: exit 2, with a sentence that names the argument. */
export class UsageError extends CommandFailure {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
