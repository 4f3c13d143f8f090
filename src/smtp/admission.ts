import type { SMTPServerSession } from 'smtp-server';
import type { SmtpLimits } from '../config/config.js';
import type { Logger } from '../runtime/log.js';
import type { SharedCounter } from '../runtime/shared-counter.js';
import { createAddressCounter } from './limits.js';
import { refuse, SmtpReply } from './replies.js';
import type { Refusal } from './session-guard.js';

/** The reply to a connection or transaction that arrives once the server has begun to stop. */
export const SHUTTING_DOWN = new SmtpReply(421, '4.3.2', 'This server is shutting down; please try again in a moment.');

const NOT_COUNTED = new SmtpReply(421, '4.3.0', 'This server could not count your connection just now; please try again in a moment.');

/** What admitting connections needs from the server around it. */
export interface AdmissionOptions {
  limits: SmtpLimits;
  /** Counts the connections per address across instances; null, this server counts alone. */
  shared: SharedCounter | null;
  /** True once close() has begun. */
  isDraining: () => boolean;
  /** Refuses a connection that arrived while the server stops (counted as a rejection). */
  shutDown: (session: SMTPServerSession, callback: (error?: Error | null) => void) => void;
  /** Counts and logs a connection a limit refused. */
  refused: (refusal: Refusal) => void;
  log: Logger;
}

/** Decides, in onConnect, whether a new connection is greeted; counts it out in onClose. */
export interface Admission {
  admit(session: SMTPServerSession, callback: (error?: Error | null) => void): void;
  release(session: SMTPServerSession): void;
}

/** Creates the admission of one server: not while it stops, and at most --smtp-max-connections-per-ip per address. */
export function createAdmission({ limits, shared, isDraining, shutDown, refused, log }: AdmissionOptions): Admission {
  const perAddress = createAddressCounter(limits, shared);
  return {
    admit(session, callback) {
      if (isDraining()) return shutDown(session, callback);
      perAddress.admit(session).then((crowded) => {
        // close() may have begun while the count was asked (in Redis, a round trip).
        if (isDraining()) return shutDown(session, callback);
        if (crowded === null) return callback();
        refused({ reason: 'too_many_connections_from_address', session: session.id, remote: session.remoteAddress, reply: crowded });
        refuse(session, crowded, callback);
      }).catch((error: unknown) => {
        // An unhandled rejection would end the process; this ends only the connection.
        log.error({ err: error, session: session.id }, 'admitting an SMTP connection failed');
        refuse(session, NOT_COUNTED, callback);
      });
    },
    release: (session) => perAddress.release(session),
  };
}
