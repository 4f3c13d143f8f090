import { networkInterfaces } from 'node:os';
import { startEphemail, type Ephemail } from '../app.js';
import { ConfigError, parseConfig, type Config } from '../config/config.js';
import { createProcessLog } from '../runtime/log.js';
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
  // One connection's bug must not take down everyone's inbox: log it and carry on.
  process.on('uncaughtException', (error) => log.error({ err: error }, 'unexpected error'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unexpected rejection'));

  let app: Ephemail;
  try {
    app = await startEphemail({ config, log });
  } catch (error) {
    // A busy port is an operator's mistake, not a crash: say so in one line and fail.
    process.stderr.write(`ephemail: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      exit(1);
      return;
    }
    stopping = true;
    log.info({ signal }, 'stopping: no new SMTP connections, letting messages in progress finish');
    app.close().then(() => exit(0), (error: unknown) => {
      log.error({ err: error }, 'stopping failed');
      exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  // The banner comes last: whoever waits for it may send a signal at once. They may
  // also have stopped reading (`| head`): a banner nobody reads is no unexpected error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  process.stdout.write(bannerText({
    host: config.smtp.host, smtpPort: app.smtpPort, httpPort: app.httpPort,
    publicOrigins: config.http.publicOrigins, defaultDomain: config.domains.defaultDomain,
  }, networkInterfaces()));
}
