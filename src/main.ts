#!/usr/bin/env node
import { wantsHelp } from './config/config.js';
import { COMMANDS, runCommand } from './cli/commands.js';
import { topHelp } from './cli/help.js';
import { packageVersion } from './runtime/package-version.js';
import { EXIT } from './cli/command.js';

/**
 * The `ephemail` program: a subcommand (`ephemail wait ...`) talks to a
 * running server; anything else (options only, or nothing) starts one.
 */
async function main(argv: readonly string[]): Promise<void> {
  const [first = ''] = argv;
  if (first === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
  } else if (first !== '' && !first.startsWith('-')) {
    await runSubcommand(first, argv.slice(1));
  } else if (wantsHelp(argv)) {
    process.stdout.write(topHelp(COMMANDS));
  } else {
    // Loaded only to start a server: a subcommand never pays for parsers, workers and listeners it does not use.
    const { serve } = await import('./cli/serve.js');
    await serve(argv);
  }
}

async function runSubcommand(name: string, args: readonly string[]): Promise<void> {
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`ephemail: "${name}" is not a command; the commands are ${Object.keys(COMMANDS).join(', ')} (ephemail --help says more).\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  // `ephemail ls x | head -1`: a reader that has left is no error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const outcome = await runCommand(command, args, { stdout: process.stdout, env: process.env });
  if (outcome.message !== null) process.stderr.write(`ephemail ${name}: ${outcome.message}\n`);
  process.exitCode = outcome.exitCode;
}

await main(process.argv.slice(2));
