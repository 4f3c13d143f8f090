import type { Ephemail } from '../../src/app.js';
import { startEphemail } from '../../src/app.js';
import type { Clock } from '../../src/runtime/clock.js';
import { parseConfig } from '../../src/config/config.js';
import { createLogger, type Logger } from '../../src/runtime/log.js';

/** A running Ephemail on free ports, with a silent logger unless given one. */
export interface TestServer extends Ephemail {
  /** Closes the server; a short drain by default so tests stay fast. */
  close(drainMs?: number): Promise<void>;
  /** `http://127.0.0.1:<httpPort>` */
  httpUrl: string;
}

/**
 * Starts Ephemail on port 0 for SMTP and HTTP, with `flags` added to the
 * command line (so tests go through parseConfig like a user would) and
 * no environment.
 */
export async function startTestServer(flags: string[] = [], options: { clock?: Clock; log?: Logger; warm?: boolean; handoverMs?: number } = {}): Promise<TestServer> {
  // One parse worker keeps start-up light; a later --parse-workers in `flags` wins.
  const config = parseConfig(['--smtp-port', '0', '--http-port', '0', '--parse-workers', '1', ...flags], {});
  // Cold unless asked: the suite starts hundreds of these and most read nothing, so warming each
  // cost CI about two minutes; real processes (test/load/first-read.test.ts) warm as shipped.
  // No hand-over unless asked: no load balancer watches a test's /readyz, and closing stays fast.
  const app = await startEphemail({
    config, log: options.log ?? createLogger('silent'), warm: options.warm ?? false, handoverMs: options.handoverMs ?? 0,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  let closing: Promise<void> | null = null;
  return {
    ...app,
    httpUrl: `http://127.0.0.1:${app.httpPort}`,
    close(drainMs = 1_000) {
      closing ??= app.close(drainMs);
      return closing;
    },
  };
}
