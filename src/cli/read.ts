import type { ApiMailbox, ApiMessage } from '../client/index.js';
import { oneOf, parseArgs } from './args.js';
import type { Command } from './command.js';
import { clientFor, inboxFor, URL_HELP } from './connection.js';
import { printable, printableLine } from './text.js';

const OUTPUTS = ['--text', '--raw'] as const;

/** `ephemail read`: one message, as a person reads it, or its text or raw bytes alone. */
export const readCommand: Command = {
  summary: 'print one message',
  help: `Usage: ephemail read ADDRESS ID [--url URL] [--text | --raw]

Prints message ID of ADDRESS: its main headers, codes, action link and
attachments, then its plain text. Ids come from ephemail ls or wait.

${URL_HELP}
  --text          print only the plain text
  --raw           print the message exactly as it arrived (.eml)
`,
  async run(args, { stdout, env }) {
    const parsed = parseArgs(args, { command: 'read', positionals: ['ADDRESS', 'ID'], values: ['--url'], flags: OUTPUTS });
    const output = oneOf(parsed, OUTPUTS);
    const inbox = inboxFor(clientFor(parsed.values.get('--url'), env), parsed.positionals[0] ?? '');
    const id = parsed.positionals[1] ?? '';
    if (output === '--raw') {
      stdout.write(await inbox.raw(id));
      return;
    }
    const message = await inbox.message(id);
    const text = printable(message.text);
    const shown = output === '--text' ? text : `${summary(message)}\n\n${text}`;
    stdout.write(shown.endsWith('\n') ? shown : `${shown}\n`);
  },
};

/** The header block: only the lines that say something, every value on one line. */
function summary(message: ApiMessage): string {
  const action = message.links.find((link) => link.action);
  const fields: Array<[string, string]> = [
    ['From', message.from === null ? '(no sender)' : mailbox(message.from)],
    ['To', message.to.map(mailbox).join(', ') + (message.toOmitted > 0 ? ` and ${message.toOmitted} more` : '')],
    ['Cc', message.cc.map(mailbox).join(', ')],
    ['Subject', message.subject],
    ['Received', message.receivedAt],
    ['Id', message.id],
    ['Codes', message.codes.join(', ')],
    ['Link', action?.url ?? ''],
    ['Attachments', message.attachments.map((file) => `${file.filename ?? '(no name)'} (${file.contentType}, ${file.size} bytes)`).join(', ')],
    ['Problems', message.problems.join(' ')],
  ];
  return fields.filter(([, value]) => value !== '').map(([name, value]) => `${`${name}:`.padEnd(13)}${printableLine(value)}`).join('\n');
}

function mailbox({ name, address }: ApiMailbox): string {
  return name === '' ? address : `${name} <${address}>`;
}
