import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerPool, type WorkerPool } from '../../src/worker/pool.js';
import { warmParseWorkers } from '../../src/worker/warm-start.js';
import { buildTestApp } from '../support/http-app.js';
import { capturingLogger } from '../support/log-lines.js';
import { createManualClock } from '../support/manual-clock.js';

const options = { timeoutMs: 10_000, workerHeapMb: 256, maxQueuedPerLane: 100 };

describe('worker pool: warm at start', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => pool?.close());

  it('starts every thread and resolves with each thread\'s own report that it loaded and ran what reads need', async () => {
    pool = createWorkerPool({ workers: 2, ...options });
    const replies = await pool.warm();
    expect(replies).toHaveLength(2);
    for (const reply of replies) {
      expect(reply).toEqual({ kind: 'warm', ms: expect.any(Number), failure: null });
      // Measured in the thread: loading the parser and the sanitiser is never free.
      expect(reply.ms).toBeGreaterThan(0);
    }
    expect((await pool.parse(Buffer.from('Subject: After warm\r\n\r\nok\r\n'))).digest.subject).toBe('After warm');
  });

  it('answers a warm-up cut short by closing with a failure, rather than leaving it pending', async () => {
    pool = createWorkerPool({ workers: 1, ...options });
    const warming = pool.warm();
    await pool.close();
    expect(await warming).toEqual([{ kind: 'warm', ms: 0, failure: 'the server is shutting down' }]);
  });
});

describe('warm start: /healthz and the log', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => pool?.close());

  it('answers /healthz 503 starting with Retry-After and a sentence until the workers report warm, then 200 ok', async () => {
    pool = createWorkerPool({ workers: 1, ...options });
    const { log, lines } = capturingLogger('info');
    const warmth = warmParseWorkers({ pool, clock: createManualClock(), log, limitMs: 5_000 });
    const { app } = buildTestApp({ workers: pool, isWarm: warmth.isWarm });

    const starting = await app.request('/healthz');
    expect(starting.status).toBe(503);
    expect(starting.headers.get('retry-after')).toBe('1');
    expect(await starting.json()).toMatchObject({ status: 503, code: 'starting', detail: expect.stringMatching(/still loading what it needs to read mail/) });

    await warmth.settled;
    const ready = await app.request('/healthz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', store: 'ok' });
    expect(lines).toEqual([expect.objectContaining({ level: 30, event: 'workers_warm', failures: [], msg: expect.stringMatching(/^parse workers warm in \d+ ms$/) })]);
  });

  it('reports ready anyway, with a warning, when the workers are not warm within the limit', async () => {
    pool = createWorkerPool({ workers: 1, ...options });
    const { log, lines } = capturingLogger('info');
    const clock = createManualClock();
    const warmth = warmParseWorkers({ pool, clock, log, limitMs: 5_000 });
    clock.advance(4_999);
    expect(warmth.isWarm()).toBe(false);
    clock.advance(1);
    await warmth.settled;
    expect(warmth.isWarm()).toBe(true);
    expect(lines).toEqual([expect.objectContaining({ level: 40, event: 'workers_warm', msg: 'the parse workers were not warm after 5 s; serving anyway, so the first reads may be slow' })]);
    // The workers finishing later changes nothing: one line, one answer.
    await pool.warm();
    expect(lines).toHaveLength(1);
  });
});
