import { OPTIONS } from '../config/options.js';
import type { Command } from './command.js';
import { wrap } from './text.js';

/** Every `--help` fits a terminal this wide. */
const HELP_WIDTH = 80;

/**
 * The server's options for a terminal: flag and environment variable on one
 * line, the meaning and default wrapped and indented below. README.md shows
 * the same table as Markdown (`optionsTable()` in src/config/config.ts).
 */
export function optionsHelp(): string {
  return Object.values(OPTIONS).map((spec) => {
    const shown = spec.defaultValue === '' ? '(none)' : spec.defaultValue;
    return [`  ${spec.flag}  ${spec.env}`, ...wrap(`${spec.meaning} [default: ${shown}]`, HELP_WIDTH, '      ')].join('\n');
  }).join('\n');
}

/** `ephemail --help`: how to start the server, the commands, and the server's options. */
export function topHelp(commands: Readonly<Record<string, Command>>): string {
  const names = Object.keys(commands);
  const column = Math.max(...names.map((name) => name.length)) + 2;
  return `Usage: ephemail [options]               start the server
       ephemail <command> [arguments]  use a running server
       ephemail --version

Disposable inboxes: an SMTP server that keeps mail in memory for a while,
with a JSON API and a live web inbox.

Commands (ephemail <command> --help says more):
${names.map((name) => `  ${name.padEnd(column)}${commands[name]?.summary ?? ''}`).join('\n')}

Server options (each is also an environment variable; flags win):
${optionsHelp()}
`;
}
