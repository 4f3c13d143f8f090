import type { Readable } from 'node:stream';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import type { SmtpLimits } from '../config/config.js';
import type { ConnectionRefusalReason } from '../runtime/metrics.js';
import { watchConnections, type ConnectionInternals } from './connections.js';
import { limitReplies } from './limits.js';
import { useEnhancedCode, type SmtpReply } from './replies.js';

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
}

interface Guarded {
  connection: ConnectionInternals;
  /** The original send, which bypasses the guard. */
  send: ConnectionInternals['send'];
  refused: number;
  sessionTimer: NodeJS.Timeout;
  dataTimer: NodeJS.Timeout | null;
  /** The message is in and its reply not sent yet. */
  awaitingReply: boolean;
  /** The session budget ran out while awaitingReply; cut once the reply is out. */
  overdue: boolean;
  /** A limit already ended this connection. */
  ended: boolean;
}

// smtp-server's own 421 texts (smtp-connection.js), mapped to a reason and Ephemail's sentence.
type LibraryRefusal = { reason: ConnectionRefusalReason; reply: SmtpReply };
function libraryRefusal(text: unknown, limits: SmtpLimits): LibraryRefusal | null {
  if (typeof text !== 'string') return null;
  if (text === 'Timeout - closing connection') return { reason: 'idle_timeout', reply: limitReplies.idle(limits) };
  if (text.endsWith(' Too many connected clients, try again in a moment')) return { reason: 'too_many_connections', reply: limitReplies.tooManyConnections(limits) };
  if (text === 'Error: Command line too long') return { reason: 'command_too_long', reply: limitReplies.commandTooLong(limits) };
  // Its own cap, not configurable: 10 unrecognised commands.
  if (text === 'Error: too many unrecognized commands') return { reason: 'too_many_bad_commands', reply: limitReplies.tooManyBadCommands(10) };
  return null;
}

/** Installs the guard on every connection of `server`. */
export function installSessionGuard(server: SMTPServer, { limits, report }: SessionGuardOptions): SessionGuard {
  const guarded = new Map<SMTPServerSession, Guarded>();

  function end(state: Guarded, reason: ConnectionRefusalReason, reply: SmtpReply): void {
    const { connection } = state;
    if (state.ended || connection._closing || connection._closed) return;
    state.ended = true;
    stopTimers(state);
    report({ reason, session: connection.session.id, remote: connection.remoteAddress, reply });
    useEnhancedCode(connection.session, reply);
    // A 421 makes smtp-server close the connection.
    state.send(reply.responseCode, reply.message);
  }

  function guardedSend(state: Guarded, code: number, data?: string | string[], context?: string | false): void {
    const known = code === 421 ? libraryRefusal(data, limits) : null;
    if (known !== null) return end(state, known.reason, known.reply);
    // A delivered message starts the count again, as smtp-server does for unrecognised commands.
    if (context === 'DATA_OK') state.refused = 0;
    if (code >= 500 && !state.ended && ++state.refused >= limits.maxBadCommands) {
      // The last refused command gets the 421 in place of its 5xx: one reply per command.
      return end(state, 'too_many_bad_commands', limitReplies.tooManyBadCommands(state.refused));
    }
    state.send(code, data, context);
    if (state.awaitingReply) {
      state.awaitingReply = false;
      if (state.overdue) end(state, 'session_timeout', limitReplies.session(limits));
    }
  }

  watchConnections(server, (connection) => {
    const state: Guarded = {
      connection,
      send: connection.send.bind(connection),
      refused: 0,
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
    connection.send = (code, data, context) => guardedSend(state, code, data, context);
    guarded.set(connection.session, state);
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
  };
}

function stopTimers(state: Guarded): void {
  clearTimeout(state.sessionTimer);
  if (state.dataTimer !== null) clearTimeout(state.dataTimer);
  state.dataTimer = null;
}
