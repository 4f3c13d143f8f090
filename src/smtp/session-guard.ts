import type { Readable } from 'node:stream';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import type { SmtpLimits } from '../config/config.js';
import type { ConnectionRefusalReason } from '../runtime/metrics.js';
import { limitReplies } from './limits.js';
import { useEnhancedCode } from './patches/enhanced-codes.js';
import { filterReplies, isDeliveredReply, type GuardedConnection } from './patches/guarded-send.js';
import { libraryLimit, UNRECOGNIZED_COMMANDS_LIMIT, type LibraryLimit } from './patches/library-replies.js';
import type { SmtpReply } from './replies.js';

/** One connection refused or cut off by a limit, for the caller to count and log. */
export interface Refusal {
  reason: ConnectionRefusalReason;
  /** smtp-server's session id. */
  session: string;
  remote: string;
  reply: SmtpReply;
}

/** What the guard needs. */
export interface SessionGuardOptions {
  limits: SmtpLimits;
  /** Called exactly once for each connection a limit ends. */
  report: (refusal: Refusal) => void;
}

/**
 * Per-connection limits smtp-server has no option for: the wall-clock budget
 * of a session and of one DATA, which a client trickling a byte at a time
 * (resetting the idle timeout each time) would otherwise never meet, and the
 * count of refused commands. It also gives smtp-server's own limit replies
 * (idle timeout, maxClients, over-long command line, unrecognised commands)
 * Ephemail's wording, and reports them.
 */
export interface SessionGuard {
  /**
   * Starts the DATA budget for the message arriving on `stream`; call it
   * first thing in onData. Once the final dot is in, the budget stops and the
   * session budget waits for the reply, so a message being stored is not cut.
   */
  watchData(session: SMTPServerSession, stream: Readable): void;
  /** Forgets a closed connection; call it from onClose. */
  release(session: SMTPServerSession): void;
  /**
   * The next reply on `session` is a refusal the client asked for (the
   * failure simulator's): it does not count against --smtp-max-bad-commands,
   * so a test suite on one pooled connection gets the same answer every time.
   */
  askedFor(session: SMTPServerSession): void;
}

interface Guarded {
  connection: GuardedConnection;
  refused: number;
  /** The next reply was asked for, and does not count as refused. */
  asked: boolean;
  sessionTimer: NodeJS.Timeout;
  dataTimer: NodeJS.Timeout | null;
  /** The message is in and its reply not sent yet. */
  awaitingReply: boolean;
  /** The session budget ran out while awaitingReply; cut once the reply is out. */
  overdue: boolean;
  /** A limit already ended this connection. */
  ended: boolean;
}

// smtp-server's own 421s, each with a reason and Ephemail's sentence.
const LIBRARY_REFUSALS: Record<LibraryLimit, { reason: ConnectionRefusalReason; reply: (limits: SmtpLimits) => SmtpReply }> = {
  idleTimeout: { reason: 'idle_timeout', reply: limitReplies.idle },
  tooManyConnections: { reason: 'too_many_connections', reply: limitReplies.tooManyConnections },
  commandTooLong: { reason: 'command_too_long', reply: limitReplies.commandTooLong },
  tooManyUnrecognizedCommands: { reason: 'too_many_bad_commands', reply: () => limitReplies.tooManyBadCommands(UNRECOGNIZED_COMMANDS_LIMIT) },
};

/** Installs the guard on every connection of `server`. */
export function installSessionGuard(server: SMTPServer, { limits, report }: SessionGuardOptions): SessionGuard {
  const guarded = new Map<SMTPServerSession, Guarded>();

  function end(state: Guarded, reason: ConnectionRefusalReason, reply: SmtpReply): void {
    const { connection } = state;
    if (state.ended || connection.ending) return;
    state.ended = true;
    stopTimers(state);
    report({ reason, session: connection.session.id, remote: connection.remoteAddress, reply });
    useEnhancedCode(connection.session, reply.enhancedCode);
    // A 421 makes smtp-server close the connection.
    connection.send(reply.responseCode, reply.message);
  }

  function guardedSend(state: Guarded, code: number, data?: string | string[] | null, context?: string | false): void {
    const limit = libraryLimit(code, data);
    if (limit !== null) return end(state, LIBRARY_REFUSALS[limit].reason, LIBRARY_REFUSALS[limit].reply(limits));
    // A delivered message starts the count again, as smtp-server does for unrecognised commands.
    if (isDeliveredReply(context)) state.refused = 0;
    const asked = state.asked;
    state.asked = false;
    if (code >= 500 && !asked && !state.ended && ++state.refused >= limits.maxBadCommands) {
      // The last refused command gets the 421 in place of its 5xx: one reply per command.
      return end(state, 'too_many_bad_commands', limitReplies.tooManyBadCommands(state.refused));
    }
    state.connection.send(code, data, context);
    if (state.awaitingReply) {
      state.awaitingReply = false;
      if (state.overdue) end(state, 'session_timeout', limitReplies.session(limits));
    }
  }

  filterReplies(server, (connection) => {
    const state: Guarded = {
      connection,
      refused: 0,
      asked: false,
      dataTimer: null,
      awaitingReply: false,
      overdue: false,
      ended: false,
      sessionTimer: setTimeout(() => {
        if (state.awaitingReply) state.overdue = true;
        else end(state, 'session_timeout', limitReplies.session(limits));
      }, limits.sessionTimeoutMs),
    };
    // Never what keeps the process alive; release() clears it, and so does the end of the connection.
    state.sessionTimer.unref();
    guarded.set(connection.session, state);
    return (code, data, context) => guardedSend(state, code, data, context);
  });

  return {
    watchData(session, stream) {
      const state = guarded.get(session);
      if (state === undefined) return;
      if (state.dataTimer !== null) clearTimeout(state.dataTimer);
      state.dataTimer = setTimeout(() => end(state, 'data_timeout', limitReplies.data(limits)), limits.dataTimeoutMs);
      state.dataTimer.unref();
      const stop = () => {
        if (state.dataTimer !== null) clearTimeout(state.dataTimer);
        state.dataTimer = null;
      };
      // Before onData's own 'end' listener, which may reply at once.
      stream.prependListener('end', () => {
        stop();
        if (!state.ended) state.awaitingReply = true;
      });
      stream.once('close', stop);
    },
    release(session) {
      const state = guarded.get(session);
      if (state === undefined) return;
      stopTimers(state);
      guarded.delete(session);
    },
    askedFor(session) {
      const state = guarded.get(session);
      if (state !== undefined) state.asked = true;
    },
  };
}

function stopTimers(state: Guarded): void {
  clearTimeout(state.sessionTimer);
  if (state.dataTimer !== null) clearTimeout(state.dataTimer);
  state.dataTimer = null;
}
