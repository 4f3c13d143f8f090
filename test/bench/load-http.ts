import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { DOMAIN } from './load-smtp.js';
import { messageFactory, type MailKind } from './messages.js';
import { openSender } from './smtp-client.js';
import { sleep, summarize, type Latency } from './stats.js';

// Long enough for the wait request to reach the server and subscribe, so the hub path is what is timed.
const SUBSCRIBE_SETTLE_MS = 30;

export interface WaitParams {
  smtpPort: number;
  httpPort: number;
  kind: MailKind;
  samples: number;
}

export interface WaitResult {
  latency: Latency;
  /** End of DATA -> "250": the part before the wait route hears of the message (store, digest, event). */
  toReply: Latency;
  errors: number;
  firstError: string | null;
}

function get(agent: Agent, port: number, path: string): Promise<{ status: number; at: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, at: performance.now() }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** One blocked GET /wait per sample, each on a fresh inbox so it cannot be answered from the store. */
export async function waitLatency(params: WaitParams): Promise<WaitResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sender = await openSender(params.smtpPort);
  const make = messageFactory(params.kind);
  const latencies: number[] = [];
  const toReply: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < params.samples; i++) {
    const inbox = `wait-${process.pid}-${Date.now()}-${i}@${DOMAIN}`;
    const waiting = get(agent, params.httpPort, `/api/inboxes/${encodeURIComponent(inbox)}/wait?timeout=10`);
    await sleep(SUBSCRIBE_SETTLE_MS);
    try {
      const sent = await sender.send('sender@bench.example', [inbox], make(inbox, `wait ${i}`));
      const answered = await waiting;
      if (sent.code !== 250) failures.push(sent.reply);
      else if (answered.status !== 200) failures.push(`wait answered HTTP ${answered.status}`);
      else {
        latencies.push(answered.at - sent.endOfDataAt);
        toReply.push(sent.replyAt - sent.endOfDataAt);
      }
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  await sender.quit();
  agent.destroy();
  return { latency: summarize(latencies), toReply: summarize(toReply), errors: failures.length, firstError: failures[0] ?? null };
}

export interface ApiParams {
  httpPort: number;
  inbox: string;
  connections: number;
  durationS: number;
}

export interface ApiFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface ApiResult {
  list: ApiFigures;
  get: ApiFigures;
}

async function hammer(url: string, connections: number, durationS: number): Promise<ApiFigures> {
  const result = await autocannon({ url, connections, duration: durationS });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Listing an inbox and reading one message in full, each under concurrent clients. */
export async function apiLoad(params: ApiParams): Promise<ApiResult> {
  const base = `http://127.0.0.1:${params.httpPort}/api/inboxes/${encodeURIComponent(params.inbox)}/messages`;
  const listed = await fetch(base);
  const body = await listed.json() as { messages?: Array<{ id: string }> };
  const id = body.messages?.[0]?.id;
  if (id === undefined) throw new Error(`the API inbox ${params.inbox} is empty (HTTP ${listed.status})`);
  const one = `${base}/${encodeURIComponent(id)}`;
  // A short unmeasured round each first: the first requests compile the routes and fill the parsed-message cache.
  await hammer(base, params.connections, 1);
  const list = await hammer(base, params.connections, params.durationS);
  await hammer(one, params.connections, 1);
  return { list, get: await hammer(one, params.connections, params.durationS) };
}
