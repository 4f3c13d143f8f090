import { sleep } from '../bench/stats.js';
import { createStopSignal, createTallySheet, describeError, type Tally, type TallySheet } from './tally.js';

// A reader's pause between two visits to an inbox (list, read, sometimes the HTML, sometimes a delete).
const READER_PAUSE_MS = 100;
// Long enough that most waits end with mail (each inbox gets some every few seconds), short enough to turn over.
const WAIT_TIMEOUT_S = 10;

/** The HTTP side of the soak: people reading inboxes, and test suites waiting for mail. */
export interface ApiLoadParams {
  httpPort: number;
  readers: number;
  waiters: number;
  inboxes: readonly string[];
}

/** The readers' and the waiters' tallies; stop() resolves once their last requests are answered. */
export interface ApiLoad {
  readers(): Tally;
  waiters(): Tally;
  stop(): Promise<void>;
}

type Json = Record<string, any>;

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** A request whose answer must be one of `expected`; anything else is an error, read or not. */
async function call(sheet: TallySheet, url: string, expected: readonly number[], method = 'GET'): Promise<Response | null> {
  try {
    const response = await fetch(url, { method });
    if (expected.includes(response.status)) {
      sheet.ok();
      return response;
    }
    sheet.fail(`${method} ${new URL(url).pathname} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  } catch (error) {
    sheet.fail(`${method} ${new URL(url).pathname}: ${describeError(error)}`);
  }
  return null;
}

/**
 * Readers list a random inbox, open its newest message in full (and every
 * third time its HTML), and delete every fourth message they open. A message
 * evicted or deleted between the listing and the read answers 404, which is
 * no error. Waiters ask for the next message of a random inbox; 408 (none
 * within the timeout) is no error either.
 */
export function driveApi(params: ApiLoadParams): ApiLoad {
  const base = `http://127.0.0.1:${params.httpPort}/api/inboxes`;
  const signal = createStopSignal();
  const readSheet = createTallySheet();
  const waitSheet = createTallySheet();

  async function reader(): Promise<void> {
    for (let visit = 0; signal.running(); visit++) {
      const inbox = `${base}/${encodeURIComponent(pick(params.inboxes))}/messages`;
      const listed = await call(readSheet, `${inbox}?limit=20`, [200]);
      const newest = listed === null ? undefined : ((await listed.json()) as Json).messages?.[0] as Json | undefined;
      if (newest !== undefined) {
        const message = `${inbox}/${encodeURIComponent(String(newest.id))}`;
        const read = await call(readSheet, message, [200, 404]);
        await read?.arrayBuffer();
        if (visit % 3 === 0) await (await call(readSheet, `${message}/html`, [200, 404]))?.arrayBuffer();
        if (visit % 4 === 0) await (await call(readSheet, message, [200, 204, 404], 'DELETE'))?.arrayBuffer();
      }
      await Promise.race([sleep(READER_PAUSE_MS), signal.stopped]);
    }
  }

  async function waiter(): Promise<void> {
    while (signal.running()) {
      const inbox = encodeURIComponent(pick(params.inboxes));
      const since = encodeURIComponent(new Date().toISOString());
      const answer = await call(waitSheet, `${base}/${inbox}/wait?timeout=${WAIT_TIMEOUT_S}&since=${since}`, [200, 408]);
      await answer?.arrayBuffer();
    }
  }

  const readers = Array.from({ length: params.readers }, () => reader());
  const waiters = Array.from({ length: params.waiters }, () => waiter());
  return {
    readers: readSheet.read,
    waiters: waitSheet.read,
    async stop() {
      signal.stop();
      await Promise.all([...readers, ...waiters]);
    },
  };
}
