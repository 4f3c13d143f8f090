import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { SmtpConfig } from '../config/config.js';
import { formatSize } from '../config/values.js';
import { clientKey } from '../runtime/client-key.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import type { SharedCounter } from '../runtime/shared-counter.js';
import { memoizedDomainChecker, type DomainPolicy } from '../mail/address/address.js';
import { simulatorNameOf } from '../mail/address/simulator-names.js';
import type { Metrics, RejectionReason } from '../runtime/metrics.js';
import type { Envelope, IntakeSession, MessageHead } from '../store/message.js';
import type { RawBytes } from '../store/raw-bytes.js';
import type { SenderShare } from '../store/store.js';
import { createAdmission, SHUTTING_DOWN } from './admission.js';
import { asArrived } from './data-chunks.js';
import { createLineMeter, hardConnectionCap, limitReplies, serverLimitOptions } from './limits.js';
import { installEnhancedCodes } from './patches/enhanced-codes.js';
import { listenerOf } from './patches/listener.js';
import { takeRecipientsAsWritten } from './patches/recipients-as-written.js';
import { readRecipientLine, recipientLineReplies } from './recipient-line.js';
import { judgeRecipient } from './recipient-rule.js';
import { refuse, SmtpReply } from './replies.js';
import { installSessionGuard, type Refusal } from './session-guard.js';
import { createSimulator } from './simulator.js';
import { declaredSize, isStoreRefusal, overShareReply, storeRefusal } from './store-refusals.js';
import type { TlsPair } from './tls.js';

/** A recipient after normalisation: the inbox it lands in and its +tag. */
export interface Recipient {
  inbox: string;
  tag: string | null;
}

/** Stores one accepted message from the client `sender` (its client key); resolves once readers can see it. */
export type Deliver = (envelope: Envelope, raw: RawBytes, recipients: Recipient[], sender: string) => Promise<MessageHead[]>;

/** What the SMTP intake is built from. */
export interface SmtpIntakeOptions {
  config: SmtpConfig;
  domains: DomainPolicy;
  tls: TlsPair;
  deliver: Deliver;
  /** What a client holds against its share of the store, or null when there are no shares. */
  shareOf: (sender: string) => Promise<SenderShare | null>;
  log: Logger;
  metrics: Metrics;
  /** Dates the start of each transaction, and runs the failure simulator's delays. */
  clock: Clock;
  /** Counts the connections per address across instances (with a Redis store); absent, this server counts alone. */
  shared?: SharedCounter | null;
}

/** The running SMTP side. */
export interface SmtpIntake {
  /** Starts listening; resolves to the bound port. */
  listen(): Promise<number>;
  /**
   * Stops taking mail: new connections and transactions get 421, messages in
   * DATA may finish for up to `drainMs`, then the listener and every connection close.
   */
  close(drainMs: number): Promise<void>;
}

/** Builds the SMTP intake on smtp-server. */
export function createSmtpIntake(options: SmtpIntakeOptions): SmtpIntake {
  const { config, domains, deliver, shareOf, log, metrics, clock } = options;
  let draining = false;
  let inFlight = 0;
  let onIdle: (() => void) | null = null;
  const { limits } = config;
  const checkDomain = memoizedDomainChecker();
  const simulator = createSimulator({ domain: domains.simulatorDomain, clock });
  // Sessions that reached onConnect and were counted open; smtp-server also calls onClose for
  // connections it refused itself (maxClients), which never did.
  const countedOpen = new WeakSet<SMTPServerSession>();

  /** Counts and logs a connection that a limit refused or cut off (src/smtp/limits.ts). */
  function refused({ reason, session, remote, reply }: Refusal): void {
    metrics.smtpConnectionsRefused.inc({ reason });
    log.info({ event: 'refused', reason, session, remote, code: reply.responseCode }, reply.message);
  }

  function reject(reason: RejectionReason, session: SMTPServerSession, reply: SmtpReply, callback: (error: Error) => void): void {
    metrics.rejected.inc({ reason });
    log.info({ event: 'rejected', reason, session: session.id, remote: session.remoteAddress, code: reply.responseCode }, reply.message);
    refuse(session, reply, callback);
  }

  const admission = createAdmission({
    limits, shared: options.shared ?? null, log, refused,
    isDraining: () => draining,
    shutDown: (session, callback) => reject('shutting_down', session, SHUTTING_DOWN, callback),
  });

  // What onRcptTo made of each recipient it accepted, keyed by smtp-server's own entry in the envelope.
  const acceptedRecipients = new WeakMap<SMTPServerAddress, Recipient>();

  // When each session's current transaction began: the MAIL FROM that opened it.
  const transactionStarts = new WeakMap<SMTPServerSession, number>();

  /**
   * What the session saw of the client. smtp-server's remoteAddress is the
   * socket's peer with `::ffff:` dropped, or for a proxy of --smtp-proxy-protocol
   * the client its PROXY header names (XCLIENT and XFORWARD stay off), and it
   * refuses MAIL FROM before HELO or EHLO, so both are set.
   */
  function intakeSessionOf(session: SMTPServerSession): IntakeSession {
    return {
      clientIp: session.remoteAddress,
      helo: session.hostNameAppearsAs,
      tls: session.secure,
      // onMailFrom has always run by DATA; the clock only keeps the type whole.
      startedAt: transactionStarts.get(session) ?? clock.now(),
    };
  }

  function recipientsOf(session: SMTPServerSession): Recipient[] {
    const recipients: Recipient[] = [];
    for (const entry of session.envelope.rcptTo) {
      const recipient = acceptedRecipients.get(entry);
      // At most --max-recipients of them, most often one: a scan beats a Map.
      if (recipient !== undefined && !recipients.some(({ inbox }) => inbox === recipient.inbox)) recipients.push(recipient);
    }
    return recipients;
  }

  async function store(session: SMTPServerSession, raw: RawBytes, size: number, sender: string): Promise<string> {
    const envelope: Envelope = {
      mailFrom: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address || null,
      rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
      session: intakeSessionOf(session),
    };
    const stored = await deliver(envelope, raw, recipientsOf(session), sender);
    metrics.received.inc();
    // At debug, as Mailpit does: at full ingest a line per message was about a twentieth of
    // the SMTP thread's time, and the rate is in ephemail_messages_received_total.
    if (log.isLevelEnabled('debug')) log.debug({ event: 'accepted', session: session.id, remote: session.remoteAddress, size, inboxes: stored.length, ids: stored.map((m) => m.id) }, 'message stored');
    return `Message stored in ${stored.length === 1 ? 'one inbox' : `${stored.length} inboxes`}`;
  }

  function receive(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null, message?: string) => void): void {
    guard.watchData(session, stream);
    const chunks: Buffer[] = [];
    let size = 0;
    const lines = createLineMeter(limits.maxLineLength);
    inFlight++;
    const finish = (error: Error | null, message?: string) => {
      if (error) callback(error);
      else callback(null, message);
      if (--inFlight === 0) onIdle?.();
    };
    // Past the size limit, or after a line over the line limit, the rest is read and dropped, never held.
    stream.on('data', (chunk: Buffer) => {
      if (lines.fits(chunk) && !stream.sizeExceeded) {
        chunks.push(chunk);
        size += chunk.length;
      } else if (chunks.length > 0) {
        chunks.length = 0;
        size = 0;
      }
    });
    stream.on('error', (error) => finish(error));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        const reply = new SmtpReply(552, '5.3.4', `The message is ${stream.byteLength} bytes; this server takes messages of at most ${formatSize(config.maxMessageSize)}.`);
        return reject('too_large', session, reply, (refusal) => finish(refusal));
      }
      if (lines.exceeded) return reject('line_too_long', session, limitReplies.lineTooLong(limits), (refusal) => finish(refusal));
      const simulated = simulator.afterData(recipientsOf(session).map(({ inbox }) => inbox));
      if (simulated !== null) {
        guard.askedFor(session);
        return reject('simulated', session, simulated, (refusal) => finish(refusal));
      }
      const sender = clientKey(session.remoteAddress);
      store(session, asArrived(chunks, size), size, sender).then(
        (message) => finish(null, message),
        (error: unknown) => {
          const { reason, reply } = storeRefusal(error, sender);
          reject(reason, session, reply, (refusal) => finish(refusal));
          if (!isStoreRefusal(error)) log.error({ err: error, session: session.id }, 'storing a message failed');
        },
      );
    });
  }

  const server = new SMTPServer({
    banner: 'Ephemail: disposable inboxes, any name you like',
    size: config.maxMessageSize,
    // Oversized messages and extra recipients are refused in receive() and onRcptTo,
    // so the reply is a sentence and the refusal is counted.
    rejectOversized: false,
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    // From the listed peers (true: all), read before the session starts, so limits, logs and the stored session
    // see the client the proxy saw; a proxy's socket that never sends it is closed after socketTimeout.
    useProxy: config.proxyProtocol,
    key: options.tls.key,
    cert: options.tls.cert,
    logger: false,
    closeTimeout: 1_000,
    // maxClients, socketTimeout, maxCommandLength; see limits.ts for every limit.
    ...serverLimitOptions(limits),
    onAuth(auth, _session, callback) {
      // Accepted whatever the credentials: apps configured with a login must still deliver.
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onConnect(session, callback) {
      // Counted before any refusal, because onClose runs for refused connections too.
      metrics.smtpConnections.inc();
      metrics.smtpConnectionsOpen.inc();
      countedOpen.add(session);
      admission.admit(session, callback);
    },
    onClose(session) {
      admission.release(session);
      guard.release(session);
      if (countedOpen.delete(session)) metrics.smtpConnectionsOpen.dec();
    },
    onMailFrom(address, session, callback) {
      transactionStarts.set(session, clock.now());
      if (draining) return reject('shutting_down', session, SHUTTING_DOWN, callback);
      const declared = declaredSize(address);
      if (declared === null) return callback();
      // A message that says up front it cannot fit the client's share is refused before its bytes are sent.
      const client = clientKey(session.remoteAddress);
      shareOf(client).then(
        (share) => {
          if (share !== null && share.held + declared > share.share) return reject('over_share', session, overShareReply(client, share), callback);
          callback();
        },
        // The store answers again once the message has arrived; a failed look-up here refuses nothing.
        () => callback(),
      );
    },
    onRcptTo(address, session, callback) {
      const key = address.address.toLowerCase();
      const repeated = session.envelope.rcptTo.some((recipient) => recipient.address.toLowerCase() === key);
      if (!repeated && session.envelope.rcptTo.length >= config.maxRecipients) {
        const reply = new SmtpReply(452, '4.5.3', `This message already has ${config.maxRecipients} recipients, the most this server takes; send the rest in another message.`);
        return reject('too_many_recipients', session, reply, callback);
      }
      // The address as the client wrote it (takeRecipientsAsWritten), judged by the API's rule.
      const verdict = judgeRecipient(address.address, domains, checkDomain);
      if (!verdict.ok) return reject(verdict.reason, session, verdict.reply, callback);
      const recipient = { inbox: verdict.address.inbox, tag: verdict.address.tag };
      const simulated = simulatorNameOf(verdict.address, domains);
      if (simulated === null) {
        acceptedRecipients.set(address, recipient);
        return callback();
      }
      const mailFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address.toLowerCase();
      void simulator.atRecipient(simulated, verdict.address, { client: clientKey(session.remoteAddress), mailFrom, recipient: key }).then((reply) => {
        if (reply !== null) {
          guard.askedFor(session);
          return reject('simulated', session, reply, callback);
        }
        acceptedRecipients.set(address, recipient);
        callback();
      });
    },
    onData: receive,
  });
  installEnhancedCodes(server);
  takeRecipientsAsWritten(server, { read: readRecipientLine, badParameters: recipientLineReplies.badParameters });
  const guard = installSessionGuard(server, { limits, report: refused });
  server.on('error', (error) => log.warn({ err: error }, 'SMTP connection error'));
  const listener = listenerOf(server);
  // Last resort for descriptors: past this Node drops sockets before any SMTP is spoken.
  listener.maxConnections = hardConnectionCap(limits);
  listener.on('drop', (socket?: { remoteAddress?: string }) => {
    const reply = new SmtpReply(421, '4.7.0', `Dropped a connection without a reply: ${hardConnectionCap(limits)} sockets are open, twice --smtp-max-connections.`);
    refused({ reason: 'over_capacity', session: '-', remote: socket?.remoteAddress ?? 'unknown', reply });
  });

  return {
    listen: () => new Promise((resolve, reject) => {
      listener.once('error', reject);
      server.listen(config.port, config.host, () => {
        listener.off('error', reject);
        resolve((listener.address() as AddressInfo).port);
      });
    }),

    async close(drainMs) {
      draining = true;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainMs);
          onIdle = () => { clearTimeout(timer); resolve(); };
        });
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
