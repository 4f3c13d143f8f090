import type { Logger } from './log.js';

/** What reached the process's last-resort handlers. */
export type FaultKind = 'uncaught exception' | 'unhandled rejection';

/** How long a faulted process may take to close before it exits anyway. */
export const FAULT_CLOSE_MS = 5_000;
// Messages in DATA get this long to finish after a fault, leaving the rest of
// FAULT_CLOSE_MS to close the sockets and the store (which flushes to disk).
const FAULT_DRAIN_MS = 2_000;

/** How the process ends: on a signal, or on a fault. */
export interface Shutdown {
  /** SIGTERM or SIGINT: closes gracefully and exits 0; a second signal exits 1 at once. */
  stop(signal: string): void;
  /**
   * An uncaught exception or unhandled rejection: logs it with its stack,
   * closes with a short drain, and exits 1 within FAULT_CLOSE_MS whatever
   * the close does. Later faults are logged and change nothing.
   */
  fault(kind: FaultKind, error: unknown): void;
}

/** What a shutdown acts on. */
export interface ShutdownOptions {
  log: Logger;
  /** Closes the running server (Ephemail.close), letting messages in DATA finish for up to `drainMs`, or the server's own default. */
  close(drainMs?: number): Promise<void>;
  /** Ends the process once its log is out (ProcessLog.exit); the first call decides the code. */
  exit(code: number): void;
  /** Runs `callback` after `delayMs`; the timer must keep the process alive until then. */
  schedule(delayMs: number, callback: () => void): void;
}

/**
 * Ends the process on a signal or a fault. After a fault the process exits
 * rather than carry on: the code that threw may have left state half
 * changed (a store's counts, a connection's limits), and a supervisor
 * (systemd, a Docker or Compose restart policy) starts a clean process in
 * seconds. With --data-dir or Redis the mail is still there; with the
 * memory store it is gone, as with any restart.
 */
export function createShutdown({ log, close, exit, schedule }: ShutdownOptions): Shutdown {
  let closing = false;
  let faulted = false;

  function closeThenExit(drainMs?: number): void {
    closing = true;
    close(drainMs).then(
      () => exit(faulted ? 1 : 0),
      (error: unknown) => {
        log.error({ err: error }, 'stopping failed');
        exit(1);
      },
    );
  }

  return {
    stop(signal) {
      if (closing) {
        exit(1);
        return;
      }
      log.info({ signal }, 'stopping: no new SMTP connections, letting messages in progress finish');
      // The server's own drain (10 s): a signal is a planned stop.
      closeThenExit();
    },
    fault(kind, error) {
      if (faulted) {
        log.fatal({ err: error, event: 'fault' }, `${kind} while stopping after an earlier one`);
        return;
      }
      faulted = true;
      log.fatal({ err: error, event: 'fault' },
        `${kind}: stopping, and exiting with code 1 within ${FAULT_CLOSE_MS / 1000} s so that a supervisor starts a clean process`);
      schedule(FAULT_CLOSE_MS, () => {
        log.error(`still closing ${FAULT_CLOSE_MS / 1000} s after the fault; exiting now`);
        exit(1);
      });
      // A signal's close may already run: it is bounded too, and its end now exits 1.
      if (!closing) closeThenExit(FAULT_DRAIN_MS);
    },
  };
}
