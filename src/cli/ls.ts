import { parseArgs } from './args.js';
import type { Command } from './command.js';
import { clientFor, inboxFor, URL_HELP } from './connection.js';
import { MESSAGE_LINE_HEADING, messageLine } from './message-line.js';

/** `ephemail ls`: an inbox's messages as a table of 80 columns, newest first. */
export const lsCommand: Command = {
  summary: 'list the messages of an inbox',
  help: `Usage: ephemail ls ADDRESS [--url URL]

Lists the newest 50 messages of ADDRESS, newest first: arrival time (local),
sender, subject and id. Read one with ephemail read ADDRESS ID.

${URL_HELP}
`,
  async run(args, { stdout, env }) {
    const parsed = parseArgs(args, { command: 'ls', positionals: ['ADDRESS'], values: ['--url'] });
    const inbox = inboxFor(clientFor(parsed.values.get('--url'), env), parsed.positionals[0] ?? '');
    const messages = await inbox.messages();
    if (messages.length === 0) {
      stdout.write(`No messages in ${inbox.address}.\n`);
      return;
    }
    stdout.write([MESSAGE_LINE_HEADING, ...messages.map(messageLine), ''].join('\n'));
  },
};
