import { performance } from 'node:perf_hooks';
import { messageFactory, rawSize, type MailKind, type MessageKind } from './messages.js';
import { openSender, type SmtpSender } from './smtp-client.js';
import { sleep, summarize, type Latency } from './stats.js';

export const DOMAIN = 'ephemail.test';
const FROM = 'sender@bench.example';

export interface IngestParams {
  port: number;
  kind: MailKind;
  connections: number;
  /** Measured messages per connection, sent back to back in one session. */
  perConnection: number;
  /** Unmeasured messages per connection first, so the JIT and caches are warm. */
  warmupPerConnection: number;
  /** Distinct inboxes the messages are spread over (inbox limits are per inbox). */
  inboxes: number;
  prefix: string;
}

export interface IngestResult {
  sent: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  messagesPerSecond: number;
  rawBytes: number;
  /** End of DATA written -> 250 read, per message. */
  latency: Latency;
}

/** Several sessions sending back to back; each message waits for the previous reply. */
export async function ingest(params: IngestParams): Promise<IngestResult> {
  const make = messageFactory(params.kind);
  const senders = await Promise.all(Array.from({ length: params.connections }, () => openSender(params.port)));
  const latencies: number[] = [];
  const failures: string[] = [];
  let rawBytes = 0;

  async function session(sender: SmtpSender, connection: number, count: number, measured: boolean): Promise<void> {
    for (let i = 0; i < count; i++) {
      const seq = connection * count + i;
      const block = make(`${params.prefix}-${seq % params.inboxes}@${DOMAIN}`, `bench ${measured ? 'm' : 'w'}${seq}`);
      try {
        const result = await sender.send(FROM, [`${params.prefix}-${seq % params.inboxes}@${DOMAIN}`], block);
        if (result.code !== 250) failures.push(result.reply);
        else if (measured) {
          latencies.push(result.replyAt - result.endOfDataAt);
          rawBytes += rawSize(block);
        }
      } catch (error) {
        // A broken session stops this connection; the rest carry on and the error is reported.
        failures.push(error instanceof Error ? error.message : String(error));
        return;
      }
    }
  }

  await Promise.all(senders.map((sender, c) => session(sender, c, params.warmupPerConnection, false)));
  const started = performance.now();
  await Promise.all(senders.map((sender, c) => session(sender, c, params.perConnection, true)));
  const elapsedMs = performance.now() - started;
  await Promise.all(senders.map((sender) => sender.quit()));
  return {
    sent: latencies.length,
    errors: failures.length,
    firstError: failures[0] ?? null,
    elapsedMs,
    messagesPerSecond: (latencies.length / elapsedMs) * 1000,
    rawBytes,
    latency: summarize(latencies),
  };
}

/** Sends to one inbox at a steady rate over a small pool of sessions; reports when each DATA ended. */
export interface PacedParams {
  port: number;
  kind: MessageKind;
  inbox: string;
  rate: number;
  count: number;
  connections: number;
  subjectPrefix: string;
}

export interface PacedResult {
  /** Subject -> end of DATA (performance.now()), for accepted messages only. */
  endOfData: Map<string, number>;
  errors: number;
  firstError: string | null;
  /** Sends that started more than one interval behind schedule: every session was still waiting on the server. */
  lateSends: number;
  /** Messages per second actually sent; below the asked rate when the server cannot keep up. */
  achievedRate: number;
}

export async function paced(params: PacedParams): Promise<PacedResult> {
  const make = messageFactory(params.kind);
  const idle = await Promise.all(Array.from({ length: params.connections }, () => openSender(params.port)));
  const all = [...idle];
  const freed: Array<() => void> = [];
  const endOfData = new Map<string, number>();
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / params.rate;
  let lateSends = 0;

  const start = performance.now();
  for (let k = 0; k < params.count; k++) {
    const due = start + k * interval;
    const ahead = due - performance.now();
    if (ahead > 0) await sleep(ahead);
    while (idle.length === 0) await new Promise<void>((resolve) => freed.push(resolve));
    if (performance.now() - due > interval) lateSends++;
    const sender = idle.pop() as SmtpSender;
    const subject = `${params.subjectPrefix}${k}`;
    const sending = sender.send(FROM, [params.inbox], make(params.inbox, subject)).then(
      (result) => { if (result.code === 250) endOfData.set(subject, result.endOfDataAt); else failures.push(result.reply); },
      (error: unknown) => { failures.push(error instanceof Error ? error.message : String(error)); },
    ).finally(() => {
      inFlight.delete(sending);
      idle.push(sender);
      freed.shift()?.();
    });
    inFlight.add(sending);
  }
  await Promise.all(inFlight);
  const achievedRate = (params.count / (performance.now() - start)) * 1000;
  await Promise.all(all.map((sender) => sender.quit()));
  return { endOfData, errors: failures.length, firstError: failures[0] ?? null, lateSends, achievedRate };
}
