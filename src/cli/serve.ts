import { networkInterfaces } from 'node:os';
import { startEphemail, type Ephemail } from '../app.js';
import { ConfigError, parseConfig, type Config } from '../config/config.js';
import { createProcessLog } from '../runtime/log.js';
import { createShutdown } from '../runtime/shutdown.js';
import { bannerText } from './banner.js';

/**
 * `ephemail [options]`: starts the server with the options of the command
 * line and the environment, prints where it listens, and stops gracefully
 * on SIGTERM and SIGINT.
 */
export async function serve(argv: readonly string[]): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(argv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`ephemail: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }

  const { log, exit } = createProcessLog(config.logLevel);
  let starting: Promise<Ephemail> | null = null;
  const shutdown = createShutdown({
    log, exit,
    // A stop during start-up waits for the start (a data directory being read back) and then closes;
    // a start that failed rejects here, so the process exits 1.
    close: async (drainMs) => (await starting)?.close(drainMs),
    schedule: (delayMs, callback) => { setTimeout(callback, delayMs); },
  });
  // Installed first, so a fault or a signal during start-up ends the process as it would later
  // (src/runtime/shutdown.ts says why); Node's default would kill it mid-start.
  process.on('uncaughtException', (error) => shutdown.fault('uncaught exception', error));
  process.on('unhandledRejection', (reason) => shutdown.fault('unhandled rejection', reason));
  process.on('SIGTERM', () => shutdown.stop('SIGTERM'));
  process.on('SIGINT', () => shutdown.stop('SIGINT'));

  let app: Ephemail;
  try {
    starting = startEphemail({ config, log });
    app = await starting;
  } catch (error) {
    // A busy port is an operator's mistake, not a crash: say so in one line and fail.
    process.stderr.write(`ephemail: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }

  // The banner comes last: whoever waits for it may send a signal at once. They may
  // also have stopped reading (`| head`): a banner nobody reads is no fault.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  process.stdout.write(bannerText({
    host: config.smtp.host, smtpPort: app.smtpPort, httpPort: app.httpPort,
    publicOrigins: config.http.publicOrigins, defaultDomain: config.domains.defaultDomain,
  }, networkInterfaces()));
}
