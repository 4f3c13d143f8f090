import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';

// A Redis that flaps (a command slower than the timeout now and then) would
// otherwise write two lines a second; one change away a minute is plenty.
const QUIET_MS = 60_000;

/** The log lines that say where the per-client limits are counted. */
export interface SharingLog {
  /** Counting moved to each instance on its own. */
  apart(error?: unknown): void;
  /** Still counting apart (a failed probe): says so now if that change was kept quiet. */
  stillApart(): void;
  /** Counting is back in Redis. */
  shared(): void;
}

/**
 * Says a change away from Redis at most once a minute, with how many changes
 * were kept quiet since the last line, and the change back only when the
 * change away was said. So the last line said is never wrong for longer than
 * a minute: a quiet change away that lasts is said by the next failed probe
 * once the minute is up, and a quiet change back follows a quiet change away.
 */
export function createSharingLog(log: Logger, clock: Clock): SharingLog {
  let apartSaidAt = -Infinity;
  let apartSaid = false;
  let quietChanges = 0;

  function sayApart(error?: unknown): void {
    log.warn({ event: 'shared_limits', shared: false, quietChanges, err: error }, 'Redis cannot count the per-client limits; each instance counts its own until it can');
    apartSaidAt = clock.now();
    apartSaid = true;
    quietChanges = 0;
  }
  const mayTalk = () => clock.now() - apartSaidAt >= QUIET_MS;

  return {
    apart(error) {
      if (mayTalk()) sayApart(error);
      else quietChanges++;
    },
    stillApart() {
      if (!apartSaid && mayTalk()) sayApart();
    },
    shared() {
      if (!apartSaid) {
        quietChanges++;
        return;
      }
      log.info({ event: 'shared_limits', shared: true }, 'per-client limits are counted in Redis for all instances again');
      apartSaid = false;
    },
  };
}
