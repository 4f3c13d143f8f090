import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { clientKey } from '../runtime/client-key.js';
import { createSharedClientSlots, type SlotGrant } from '../runtime/client-slots.js';
import type { SharedCounter } from '../runtime/shared-counter.js';
import type { SmtpLimits } from '../config/config.js';
import { formatDuration, formatSize } from '../config/values.js';
import { SmtpReply } from './replies.js';

/**
 * What bounds a hostile SMTP client, and where each bound lives. Every
 * refusal is an SMTP reply with a sentence, counted in
 * ephemail_smtp_connections_refused_total{reason} (or, for a message,
 * ephemail_messages_rejected_total{reason}) and logged once.
 *
 * | limit (option)                    | enforced by                                   | reply, then          | reason                  |
 * |-----------------------------------|-----------------------------------------------|----------------------|-------------------------|
 * | total (--smtp-max-connections)    | smtp-server `maxClients`, text rewritten      | 421 4.7.0, hang-up   | too_many_connections    |
 * | per address (…-per-ip)            | `onConnect` + `onClose`, this file            | 421 4.7.0, hang-up   | too_many_connections_from_address |
 * | idle (--smtp-idle-timeout)        | smtp-server `socketTimeout`, text rewritten   | 421 4.4.2, hang-up   | idle_timeout            |
 * | session (--smtp-session-timeout)  | wall-clock timer, session-guard.ts            | 421 4.4.2, hang-up   | session_timeout         |
 * | DATA (--smtp-data-timeout)        | wall-clock timer from DATA to the final dot   | 421 4.4.2, hang-up   | data_timeout            |
 * | command line (…-command-length)   | smtp-server `maxCommandLength`, text rewritten| 421 4.5.0, hang-up   | command_too_long        |
 * | text line (--smtp-max-line-length)| line meter on the DATA stream, this file      | 500 5.6.0, stays open| line_too_long (rejected)|
 * | client's share (--memory-share)   | the store; MAIL FROM SIZE, store-refusals.ts  | 452 4.3.1, stays open| over_share (rejected)   |
 * | bad commands (…-max-bad-commands) | every 5xx reply counted, session-guard.ts     | 421 4.7.0, hang-up   | too_many_bad_commands   |
 * | fd backstop (2 × total)           | net.Server `maxConnections`                   | none: dropped        | over_capacity           |
 *
 * Already bounded by smtp-server itself: a socket that has been answered 421
 * or QUIT is destroyed at most 5 s later even if the client never closes its
 * side; 10 unrecognised commands in a row end the session (same reason and
 * sentence as the bad-command limit; a delivered message resets both);
 * HELO arguments over 300 bytes are refused; replies are not buffered for a
 * client that pipelines without reading. `maxAllowedUnauthenticatedCommands`
 * does not apply: AUTH is optional here. With a Redis store the per-address
 * cap counts the address's connections on every instance (src/shared-limits/).
 */

/** smtp-server options that enforce some of the limits by themselves. */
export function serverLimitOptions(limits: SmtpLimits): Pick<SMTPServerOptions, 'maxClients' | 'socketTimeout' | 'maxCommandLength'> {
  return { maxClients: limits.maxConnections, socketTimeout: limits.idleTimeoutMs, maxCommandLength: limits.maxCommandLength };
}

/**
 * Sockets beyond this many are dropped by Node before smtp-server sees them.
 * Refused and cut connections stop counting against maxClients at once but
 * keep their descriptor for up to 5 s while the client has not closed its
 * side; the backstop keeps a flood of those from exhausting descriptors.
 */
export function hardConnectionCap(limits: SmtpLimits): number {
  return limits.maxConnections * 2;
}

/** The replies, one place for their wording. */
export const limitReplies = {
  tooManyConnections: (limits: SmtpLimits) =>
    new SmtpReply(421, '4.7.0', `This server has ${limits.maxConnections} connections open, the most it takes; please try again in a moment.`),
  tooManyFromAddress: (limits: SmtpLimits) =>
    new SmtpReply(421, '4.7.0', `Too many connections from your address: ${limits.maxConnectionsPerIp} are open, the most this server allows; close one or try again later.`),
  idle: (limits: SmtpLimits) =>
    new SmtpReply(421, '4.4.2', `Nothing arrived for ${formatDuration(limits.idleTimeoutMs)}; closing the connection.`),
  session: (limits: SmtpLimits) =>
    new SmtpReply(421, '4.4.2', `This connection has lasted ${formatDuration(limits.sessionTimeoutMs)}, the longest this server allows; closing it. Reconnect to send more.`),
  data: (limits: SmtpLimits) =>
    new SmtpReply(421, '4.4.2', `The message did not arrive in full within ${formatDuration(limits.dataTimeoutMs)}, the longest this server waits; closing the connection. Please try again.`),
  commandTooLong: (limits: SmtpLimits) =>
    new SmtpReply(421, '4.5.0', `A command line was longer than ${formatSize(limits.maxCommandLength)}, the most this server reads; closing the connection.`),
  tooManyBadCommands: (count: number) =>
    new SmtpReply(421, '4.7.0', `${count} commands in this session were refused, the most this server allows; closing the connection.`),
  lineTooLong: (limits: SmtpLimits) =>
    new SmtpReply(500, '5.6.0', `A line of the message is longer than ${formatSize(limits.maxLineLength)}, the most this server takes (RFC 5321 allows 1000 bytes); wrap long lines, e.g. with quoted-printable or base64.`),
};

/** Open SMTP connections per client key; admitted in onConnect, released in onClose. */
export interface AddressCounter {
  /** Counts the session in, or returns the refusal when its address already has the most allowed. */
  admit(session: SMTPServerSession): Promise<SmtpReply | null>;
  /** Counts a closed session out, also while its admission is still being counted; harmless for sessions that were never admitted. */
  release(session: SMTPServerSession): void;
}

/**
 * Creates the per-address counter for one server; smtp-server's maxClients
 * bounds the total. With `shared`, an address's connections are counted on
 * every instance together.
 */
export function createAddressCounter(limits: SmtpLimits, shared: SharedCounter | null = null): AddressCounter {
  const slots = createSharedClientSlots(
    { perClient: limits.maxConnectionsPerIp, total: Infinity }, shared === null ? null : { counter: shared, kind: 'smtp' },
  );
  // The grant of each admitted session, kept as a promise: a client may hang up before its count is known.
  const grants = new WeakMap<SMTPServerSession, Promise<SlotGrant>>();
  return {
    async admit(session) {
      const grant = slots.take(clientKey(session.remoteAddress));
      grants.set(session, grant);
      return (await grant).ok ? null : limitReplies.tooManyFromAddress(limits);
    },
    release(session) {
      const grant = grants.get(session);
      grants.delete(session);
      // A count that failed holds nothing; admit() reported it.
      grant?.then((taken) => {
        if (taken.ok) taken.release();
      }, () => {});
    },
  };
}

/**
 * Measures the lines of one message as it streams in after DATA.
 *
 * RFC 5321 §4.5.3.1.6 caps a text line at 1000 octets with its CRLF, but
 * real mail breaks it (unwrapped HTML from template engines, long header
 * lines), and a QA inbox exists to show such mail. So the default is a
 * generous 64 KB: far above anything a sane generator writes, yet it bounds
 * the single line the parser and the web view have to deal with. Lengths
 * count the bytes between line breaks, not the CRLF.
 */
export interface LineMeter {
  /** Feeds the next chunk; false once any line has gone over the limit (and from then on). */
  fits(chunk: Buffer): boolean;
  readonly exceeded: boolean;
}

/** Creates a meter for one message. */
export function createLineMeter(maxLineLength: number): LineMeter {
  return new StreamedLines(maxLineLength);
}

// A class, not an object literal: a literal with a getter is built slowly on every
// message, and this is made once per message at full ingest.
class StreamedLines implements LineMeter {
  // Bytes of the line not yet ended, and whether the last of them is a CR (which belongs to the CRLF).
  #current = 0;
  #endsInCr = false;
  #exceeded = false;

  constructor(private readonly maxLineLength: number) {}

  get exceeded(): boolean {
    return this.#exceeded;
  }

  fits(chunk: Buffer): boolean {
    if (!this.#exceeded) this.#measure(chunk);
    return !this.#exceeded;
  }

  // A search per line cost 14 µs a 10 KB message at full ingest, and 42 µs a 200 KB one
  // (base64 comes in 76-byte lines). Every line that ends within the limit's reach of the
  // current line's start is short enough whatever its CR, so one backward search jumps over
  // all of them: a chunk takes about one search per limit's worth of bytes.
  #measure(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const reach = start + this.maxLineLength - this.#current;
      const lastLf = reach >= start ? chunk.lastIndexOf(0x0a, reach) : -1;
      if (lastLf >= start) {
        this.#current = 0;
        start = lastLf + 1;
        continue;
      }
      // No line break within reach: only a CR right before one can keep this line within the limit.
      const lf = chunk.indexOf(0x0a, start);
      if (lf === -1) break;
      const cr = lf > start ? chunk[lf - 1] === 0x0d : this.#endsInCr;
      if (this.#current + lf - start - (cr ? 1 : 0) > this.maxLineLength) {
        this.#exceeded = true;
        return;
      }
      this.#current = 0;
      start = lf + 1;
    }
    this.#current += chunk.length - start;
    this.#endsInCr = chunk.length > start ? chunk[chunk.length - 1] === 0x0d : this.#endsInCr && this.#current > 0;
    if (this.#current - (this.#endsInCr ? 1 : 0) > this.maxLineLength) this.#exceeded = true;
  }
}
