import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { DOMAIN, paced } from './load-smtp.js';
import { messageFactory, type MessageKind } from './messages.js';
import { openSender } from './smtp-client.js';
import { sleep, summarize, type Latency } from './stats.js';

const HELLO_TIMEOUT_MS = 10_000;
const EVENT_GRACE_MS = 3_000;

export function eventsUrl(httpPort: number, inbox: string): string {
  return `ws://127.0.0.1:${httpPort}/api/inboxes/${encodeURIComponent(inbox)}/events`;
}

/** Opens one subscriber and resolves once its hello frame arrived, i.e. it is subscribed. */
export function subscribe(httpPort: number, inbox: string, onFrame: (data: Buffer) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(eventsUrl(httpPort, inbox));
    const timer = setTimeout(() => { socket.terminate(); reject(new Error(`no hello from ${inbox} within ${HELLO_TIMEOUT_MS} ms`)); }, HELLO_TIMEOUT_MS);
    let greeted = false;
    socket.on('message', (data: Buffer) => {
      if (!greeted) {
        greeted = true;
        clearTimeout(timer);
        const frame = JSON.parse(data.toString()) as { type?: unknown };
        if (frame.type === 'hello') resolve(socket);
        else { socket.terminate(); reject(new Error(`first frame was ${String(frame.type)}, not hello`)); }
        return;
      }
      onFrame(data);
    });
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
    socket.on('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused with HTTP ${response.statusCode}`));
    });
  });
}

export interface ArrivalParams {
  smtpPort: number;
  httpPort: number;
  kind: MessageKind;
  rate: number;
  count: number;
  /** The first messages are sent but not measured. */
  warmup: number;
  connections: number;
}

export interface ArrivalResult {
  sent: number;
  received: number;
  missing: number;
  errors: number;
  firstError: string | null;
  lateSends: number;
  achievedRate: number;
  latency: Latency;
}

/** A steady stream into one inbox; each event is timed from the end of its DATA. */
export async function arrival(params: ArrivalParams): Promise<ArrivalResult> {
  const inbox = `arrival-${process.pid}-${Date.now()}@${DOMAIN}`;
  const arrivedAt = new Map<string, number>();
  const socket = await subscribe(params.httpPort, inbox, (data) => {
    const at = performance.now();
    const frame = JSON.parse(data.toString()) as { type?: string; message?: { subject?: string } };
    if (frame.type === 'message' && frame.message?.subject !== undefined) arrivedAt.set(frame.message.subject, at);
  });
  const sent = await paced({ port: params.smtpPort, kind: params.kind, inbox, rate: params.rate, count: params.count, connections: params.connections, subjectPrefix: 'arrival ' });
  const deadline = performance.now() + EVENT_GRACE_MS;
  while (arrivedAt.size < sent.endOfData.size && performance.now() < deadline) await sleep(10);
  socket.close();

  const latencies: number[] = [];
  let missing = 0;
  for (const [subject, end] of sent.endOfData) {
    const at = arrivedAt.get(subject);
    if (at === undefined) missing++;
    else if (Number(subject.slice('arrival '.length)) >= params.warmup) latencies.push(at - end);
  }
  return {
    sent: sent.endOfData.size, received: arrivedAt.size, missing, errors: sent.errors,
    firstError: sent.firstError, lateSends: sent.lateSends, achievedRate: sent.achievedRate, latency: summarize(latencies),
  };
}

/** Subscribers kept open between tasks, by group name; owned by one load-child process. */
export type SocketGroups = Map<string, { sockets: WebSocket[]; onFrame: Set<(data: Buffer) => void> }>;

export interface OpenParams {
  group: string;
  httpPort: number;
  inboxes: string[];
  perInbox: number;
  /** Connections being opened at once; more would overflow the listen backlog and measure SYN retries. */
  batch: number;
}

export async function openGroup(groups: SocketGroups, params: OpenParams): Promise<{ opened: number; failed: number; firstError: string | null; ms: number }> {
  const group = groups.get(params.group) ?? { sockets: [], onFrame: new Set<(data: Buffer) => void>() };
  groups.set(params.group, group);
  const targets = params.inboxes.flatMap((inbox) => Array.from({ length: params.perInbox }, () => inbox));
  const failures: string[] = [];
  const started = performance.now();
  for (let start = 0; start < targets.length; start += params.batch) {
    const opened = await Promise.allSettled(targets.slice(start, start + params.batch).map((inbox) =>
      subscribe(params.httpPort, inbox, (data) => { for (const listener of group.onFrame) listener(data); })));
    for (const result of opened) {
      if (result.status === 'fulfilled') group.sockets.push(result.value);
      else failures.push(String(result.reason));
    }
  }
  return { opened: group.sockets.length, failed: failures.length, firstError: failures[0] ?? null, ms: performance.now() - started };
}

export interface FanoutParams {
  group: string;
  smtpPort: number;
  inbox: string;
  messages: number;
}

export interface FanoutResult {
  /** Per message: end of DATA -> the last subscriber of the group has it. */
  allReceivedMs: number[];
  /** Per message: end of DATA -> the first subscriber has it. */
  firstReceivedMs: number[];
  missing: number;
  errors: number;
}

/** One message at a time into the group's inbox; waits until every subscriber has it. */
export async function fanout(groups: SocketGroups, params: FanoutParams): Promise<FanoutResult> {
  const group = groups.get(params.group);
  if (group === undefined) throw new Error(`no socket group ${params.group}`);
  const sender = await openSender(params.smtpPort);
  const make = messageFactory('text10k');
  const result: FanoutResult = { allReceivedMs: [], firstReceivedMs: [], missing: 0, errors: 0 };
  for (let m = 0; m < params.messages; m++) {
    // A unique marker found with Buffer.includes: the client must not spend a JSON.parse per frame,
    // or a thousand frames would time the client instead of the server.
    const subject = `fanout-${process.pid}-${Date.now()}-${m}`;
    const marker = Buffer.from(subject);
    const times: number[] = [];
    const listener = (data: Buffer) => { if (data.includes(marker)) times.push(performance.now()); };
    group.onFrame.add(listener);
    const sent = await sender.send('sender@bench.example', [params.inbox], make(params.inbox, subject));
    if (sent.code !== 250) result.errors++;
    const deadline = performance.now() + EVENT_GRACE_MS;
    while (times.length < group.sockets.length && performance.now() < deadline) await sleep(5);
    group.onFrame.delete(listener);
    result.missing += group.sockets.length - times.length;
    if (times.length > 0) {
      result.allReceivedMs.push(Math.max(...times) - sent.endOfDataAt);
      result.firstReceivedMs.push(Math.min(...times) - sent.endOfDataAt);
    }
    await sleep(200);
  }
  await sender.quit();
  return result;
}

export async function closeGroup(groups: SocketGroups, name: string): Promise<void> {
  const group = groups.get(name);
  groups.delete(name);
  for (const socket of group?.sockets ?? []) socket.terminate();
  await sleep(200);
}
