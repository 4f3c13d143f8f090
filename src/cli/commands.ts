import { EphemailError } from '../client/index.js';
import { CommandFailure, EXIT, type Command, type CommandContext } from './command.js';
import { inboxCommand } from './inbox.js';
import { lsCommand } from './ls.js';
import { mcpCommand } from './mcp.js';
import { readCommand } from './read.js';
import { printableLine } from './text.js';
import { waitCommand } from './wait.js';

/**
 * Every subcommand of `ephemail`, in the order `--help` lists them. A new
 * one is one entry here: a `Command` from a module of its own.
 */
export const COMMANDS: Readonly<Record<string, Command>> = {
  inbox: inboxCommand,
  wait: waitCommand,
  ls: lsCommand,
  read: readCommand,
  mcp: mcpCommand,
};

/** What ended a command: its exit code and, unless it succeeded, the one sentence for stderr. */
export interface CommandOutcome {
  exitCode: number;
  message: string | null;
}

/** Runs `command` (or prints its help), turning every expected failure into an exit code and a sentence. */
export async function runCommand(command: Command, args: readonly string[], context: CommandContext): Promise<CommandOutcome> {
  if (args.includes('--help') || args.includes('-h')) {
    context.stdout.write(command.help);
    return { exitCode: 0, message: null };
  }
  try {
    await command.run(args, context);
    return { exitCode: 0, message: null };
  } catch (error) {
    if (error instanceof CommandFailure) return { exitCode: error.exitCode, message: error.message };
    // The server's own sentence (or the client's, when no server answered); a proxy's error page is folded to one line.
    // A 400 is an argument the server refused (a malformed address, a bad filter): exit 2, as for one refused here.
    if (error instanceof EphemailError) return { exitCode: error.status === 400 ? EXIT.usage : EXIT.failure, message: printableLine(error.detail) };
    throw error;
  }
}
