import { EphemailTimeoutError, type ApiMessage } from '../client/index.js';
import { InvalidValue, readWaitTime } from '../config/values.js';
import { oneOf, parseArgs } from './args.js';
import { CommandFailure, EXIT, UsageError, type Command } from './command.js';
import { clientFor, inboxFor, URL_HELP } from './connection.js';
import { messageLine } from './message-line.js';
import { printableLine } from './text.js';

const DEFAULT_TIMEOUT = '30s';
const OUTPUTS = ['--code', '--link', '--json'] as const;

/** `ephemail wait`: blocks until a matching message is there, and prints what a script needs of it. */
export const waitCommand: Command = {
  summary: 'wait for a message; print its code, link or JSON',
  help: `Usage: ephemail wait ADDRESS [options] [--code | --link | --json]

Waits until a matching message is in ADDRESS and prints it: the newest
matching one already there, else the next to arrive. By default one line:
arrival time, sender, subject and id (the id is what ephemail read takes).

${URL_HELP}
  --subject TEXT  only a subject containing TEXT (any case)
  --from TEXT     only a sender containing TEXT (any case)
  --since ID      only messages that arrived after message ID
  --timeout TIME  how long to wait: seconds (30) or 500ms, 30s, 2m; default ${DEFAULT_TIMEOUT}
  --code          print only the verification code
  --link          print only the action link (verify, confirm, sign in)
  --json          print the whole message as JSON

Exit status: 0 found, 1 the server failed or was not reachable, 2 bad
arguments (the server's 400 too), 3 nothing arrived in time, 4 the
message has no code or link.
`,
  async run(args, { stdout, env }) {
    const parsed = parseArgs(args, {
      command: 'wait', positionals: ['ADDRESS'], values: ['--url', '--subject', '--from', '--since', '--timeout'], flags: OUTPUTS,
    });
    const output = oneOf(parsed, OUTPUTS);
    const timeout = readTimeout(parsed.values.get('--timeout') ?? DEFAULT_TIMEOUT);
    const inbox = inboxFor(clientFor(parsed.values.get('--url'), env), parsed.positionals[0] ?? '');
    let message: ApiMessage;
    try {
      message = await inbox.waitForMessage({
        subject: parsed.values.get('--subject'), from: parsed.values.get('--from'), since: parsed.values.get('--since'), timeout,
      });
    } catch (error) {
      if (error instanceof EphemailTimeoutError) throw new CommandFailure(error.message, EXIT.timeout);
      throw error;
    }
    stdout.write(`${render(message, output)}\n`);
  },
};

function readTimeout(text: string): number {
  try {
    return readWaitTime(text);
  } catch (error) {
    if (error instanceof InvalidValue) throw new UsageError(`--timeout: "${text}" ${error.message}, or seconds such as 30.`);
    throw error;
  }
}

function render(message: ApiMessage, output: (typeof OUTPUTS)[number] | null): string {
  switch (output) {
    case '--code': return printableLine(message.codes[0] ?? lacking(message, 'verification code'));
    // The URL is the sender's: a control character in it would reach the terminal.
    case '--link': return printableLine(message.links.find((link) => link.action)?.url ?? lacking(message, 'action link'));
    case '--json': return JSON.stringify(message, null, 2);
    case null: return messageLine(message);
  }
}

function lacking(message: ApiMessage, what: string): never {
  throw new CommandFailure(`Message ${message.id} arrived, but no ${what} was found in it; see it with ephemail read ${message.inbox} ${message.id}.`, EXIT.missing);
}
