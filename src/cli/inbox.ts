import { parseArgs } from './args.js';
import type { Command } from './command.js';
import { clientFor, URL_HELP } from './connection.js';

/** `ephemail inbox`: a new address, and nothing else on stdout, for `ADDRESS=$(ephemail inbox)`. */
export const inboxCommand: Command = {
  summary: 'print a new inbox address',
  help: `Usage: ephemail inbox [--url URL] [--name NAME]

Prints a new address and nothing else: random and unguessable, or the
chosen NAME at the server's default domain (chosen names are public:
anyone who types the same name reads the same inbox).

${URL_HELP}
  --name NAME     a chosen name instead of a random one
`,
  async run(args, { stdout, env }) {
    const parsed = parseArgs(args, { command: 'inbox', positionals: [], values: ['--url', '--name'] });
    const name = parsed.values.get('--name');
    const inbox = await clientFor(parsed.values.get('--url'), env).createInbox(name === undefined ? {} : { localPart: name });
    stdout.write(`${inbox.address}\n`);
  },
};
