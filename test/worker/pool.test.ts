import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { digestRaw } from '../../src/mail/read/digest.js';
import { HTML_CONVERTED_CHARACTERS, htmlAsText } from '../../src/mail/parse/html-as-text.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { CancelledError } from '../../src/runtime/cancellation.js';
import { MAX_HTML_CHARACTERS } from '../../src/sanitize/html.js';
import { WorkersBusyError } from '../../src/worker/job-queue.js';
import { createWorkerPool, type JobOutcome, type WorkerPool, type WorkerPoolOptions } from '../../src/worker/pool.js';

const fixtures = new URL('../fixtures/mail/', import.meta.url);
const fixtureNames = readdirSync(fixtures).filter((name) => name.endsWith('.eml'));

describe('worker pool', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => pool?.close());

  it('digests and parses in worker threads exactly as in this thread', async () => {
    pool = createWorkerPool({ workers: 2, timeoutMs: 10_000, workerHeapMb: 256, maxQueuedPerLane: 100 });
    for (const name of fixtureNames) {
      const raw = readFileSync(new URL(name, fixtures));
      expect(await pool.digest(raw), name).toEqual(await digestRaw(raw));
      const { parsed, digest } = await pool.parse(raw);
      expect(parsed, name).toEqual(await parseMessage(raw));
      expect(digest, name).toEqual(await digestRaw(raw));
      for (const attachment of parsed.attachments) expect(Buffer.isBuffer(attachment.content)).toBe(true);
    }
  });

  it('answers many concurrent jobs in order of their own data', async () => {
    pool = createWorkerPool({ workers: 2, timeoutMs: 10_000, workerHeapMb: 256, maxQueuedPerLane: 100 });
    const subjects = Array.from({ length: 40 }, (_, i) => `Message ${i}`);
    const digests = await Promise.all(subjects.map((subject) => pool!.digest(Buffer.from(`Subject: ${subject}\r\n\r\nBody ${subject}\r\n`))));
    expect(digests.map((digest) => digest.subject)).toEqual(subjects);
  });

  it('reads each message to its own length from a reused scratch area, big ones included', async () => {
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 256, maxQueuedPerLane: 100 });
    const message = (subject: string, body: string) => Buffer.from(`Subject: ${subject}\r\n\r\n${body}\r\n`);
    const long = await pool.digest(message('Long', 'long '.repeat(300_000)));
    const short = await pool.digest(message('Short', 'tiny'));
    const again = await pool.digest(message('Again', 'word '.repeat(20_000)));
    expect([long.subject, short.subject, again.subject]).toEqual(['Long', 'Short', 'Again']);
    expect(short.preview).toBe('tiny');
    expect(again.preview.startsWith('word word')).toBe(true);
  });

  it('keeps a message that overruns the time budget as unparsed, and recovers', async () => {
    const failures: unknown[] = [];
    pool = createWorkerPool({ workers: 1, timeoutMs: 1, workerHeapMb: 256, maxQueuedPerLane: 100, onWorkerFailure: (error) => failures.push(error) });
    const huge = Buffer.from(`Subject: Slow one\r\nContent-Type: text/html\r\n\r\n${'<p>word '.repeat(400_000)}\r\n`);
    const digest = await pool.digest(huge);
    expect(digest.parseFailed).toBe(true);
    expect(digest.subject).toBe('Slow one');
    await pool.close();

    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 256, maxQueuedPerLane: 100 });
    expect((await pool.digest(Buffer.from('Subject: Fine\r\n\r\nok\r\n'))).subject).toBe('Fine');
  });

  it('answers queued work as unparsed when closed', async () => {
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 256, maxQueuedPerLane: 100 });
    const pending = Array.from({ length: 5 }, () => pool!.digest(Buffer.from('Subject: Late\r\n\r\nx\r\n')));
    await pool.close();
    const digests = await Promise.all(pending);
    expect(digests.every((digest) => digest.subject === 'Late')).toBe(true);
  });
});

describe('worker pool: HTML', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => pool?.close());

  it('renders sanitised HTML in a worker with inline images resolved', async () => {
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 256, maxQueuedPerLane: 100 });
    const safe = await pool.renderHtml({
      html: '<p onclick="x()">Hi<script>alert(1)</script><img src="cid:logo@x"><img src="https://tracker.example/p.gif"></p>',
      allowRemote: false,
      contentIdUrls: [['logo@x', '/api/inboxes/a%40ephemail.test/messages/m/attachments/0']],
    });
    expect(safe.document.toString()).toContain('/api/inboxes/a%40ephemail.test/messages/m/attachments/0');
    expect(safe.document.toString()).not.toMatch(/<script|onclick|tracker\.example/);
    expect(safe.blockedRemoteCount).toBe(1);
  });

  it('answers with a notice when rendering overruns the time budget', async () => {
    pool = createWorkerPool({ workers: 1, timeoutMs: 1, workerHeapMb: 256, maxQueuedPerLane: 100 });
    const safe = await pool.renderHtml({ html: '<table><tr><td>cell</td></tr></table>'.repeat(50_000), allowRemote: false, contentIdUrls: [] });
    expect(safe.document.toString()).toContain('could not be shown safely');
  });
});

describe('worker pool: lanes, cancellation and the queue cap', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => pool?.close());
  const message = (subject: string) => Buffer.from(`Subject: ${subject}\r\n\r\nbody\r\n`);
  const html = { html: '<p>hello</p>', allowRemote: false, contentIdUrls: [] };

  /** One thread, so every job after the first waits; `jobs` records what became of each, in order. */
  function oneThread(options: Partial<WorkerPoolOptions> = {}) {
    const jobs: string[] = [];
    pool = createWorkerPool({
      workers: 1, timeoutMs: 10_000, workerHeapMb: 256, maxQueuedPerLane: 100,
      onJob: (kind, outcome: JobOutcome) => jobs.push(`${outcome} ${kind}`), ...options,
    });
    return { pool, jobs };
  }

  it('runs waiting digests ahead of waiting parses and renders', async () => {
    const { pool, jobs } = oneThread();
    // The first job goes to the thread at once; the others wait, and digests overtake the reads.
    await Promise.all([pool.parse(message('first')), pool.renderHtml(html), pool.parse(message('read')), pool.digest(message('listed')), pool.digest(message('live'))]);
    expect(jobs).toEqual(['run parse', 'run digest', 'run digest', 'run html', 'run parse']);
  });

  it('drops a waiting job whose requester has gone, and lets a running one finish', async () => {
    const { pool, jobs } = oneThread();
    const [running, waiting] = [new AbortController(), new AbortController()];
    const first = pool.parse(message('running'), running.signal);
    const second = pool.renderHtml(html, waiting.signal);
    const third = pool.parse(message('after'));
    running.abort();
    waiting.abort();
    await expect(second).rejects.toBeInstanceOf(CancelledError);
    expect((await first).parsed.subject).toBe('running');
    expect((await third).parsed.subject).toBe('after');
    expect(jobs).toEqual(['run parse', 'cancelled html', 'run parse']);
  });

  it('drops a waiting digest whose requester has gone', async () => {
    const { pool, jobs } = oneThread();
    const gone = new AbortController();
    const running = pool.parse(message('running'));
    const digest = pool.digest(message('listed'), gone.signal);
    gone.abort();
    await expect(digest).rejects.toBeInstanceOf(CancelledError);
    expect((await running).parsed.subject).toBe('running');
    expect(jobs).toEqual(['run parse', 'cancelled digest']);
  });

  it('refuses a read past the lane\'s cap with WorkersBusyError, and still takes digests', async () => {
    const { pool, jobs } = oneThread({ maxQueuedPerLane: 1 });
    const admitted = [pool.parse(message('running')), pool.parse(message('waiting'))];
    await expect(pool.renderHtml(html)).rejects.toBeInstanceOf(WorkersBusyError);
    const digest = pool.digest(message('listed'));
    expect((await digest).subject).toBe('listed');
    await Promise.all(admitted);
    expect(jobs).toEqual(['run parse', 'refused html', 'run digest', 'run parse']);
  });
});

describe('worker pool: heap', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => pool?.close());
  // The densest markup measured: about 63 MB of heap per MiB rendered (BENCHMARKS.md, "Render cost by input size").
  const dense = (characters: number) => ({ html: '<p>a'.repeat(characters / 4), allowRemote: false, contentIdUrls: [] });

  it('renders 10 MB of the densest markup within the 128 MB heap, cut with a notice', async () => {
    const failures: unknown[] = [];
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 128, maxQueuedPerLane: 10, onWorkerFailure: (error) => failures.push(error) });
    const document = (await pool.renderHtml(dense(10 * 1024 * 1024))).document.toString();
    expect(document).toContain(`Only the first ${MAX_HTML_CHARACTERS.toLocaleString('en-US')} of this message's 10,485,760 characters of HTML are shown`);
    expect(failures).toEqual([]);
  });

  it('parses a 10 MB message of the densest HTML within the time budget and the 128 MB heap, its text that of the converted start', async () => {
    const failures: unknown[] = [];
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 128, maxQueuedPerLane: 10, onWorkerFailure: (error) => failures.push(error) });
    const head = 'From: news@example.com\r\nSubject: Dense\r\nContent-Type: text/html; charset=utf-8\r\n\r\n';
    // Up to the size limit (--max-message-size 10MB), in lines of 900 characters and a CRLF as a mail client folds them.
    const html = dense(Math.floor(((10 * 1024 * 1024 - head.length) * 900) / 902 / 4) * 4).html.replace(/.{900}/g, '$&\r\n');
    const raw = Buffer.from(head + html);
    expect(raw.length).toBeGreaterThan(10 * 1024 * 1024 - 1000);
    expect(raw.length).toBeLessThanOrEqual(10 * 1024 * 1024);
    const { parsed, digest } = await pool.parse(raw);
    expect(failures).toEqual([]);
    expect(parsed.failed).toBe(false);
    expect(parsed.html).toBe(html.replaceAll('\r\n', '\n'));
    expect(parsed.text).toBe(htmlAsText(parsed.html!.slice(0, HTML_CONVERTED_CHARACTERS)).text);
    expect(parsed.text).toMatch(/^a\n\na\n\n/);
    expect(parsed.problems).toEqual([expect.stringContaining(`the text is derived from its first ${HTML_CONVERTED_CHARACTERS} only`)]);
    expect(await pool.digest(raw)).toEqual(digest);
  });

  it('digests and parses HTML-only mail of 990 nested quotes within two seconds each, failing no worker', async () => {
    const failures: unknown[] = [];
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 128, maxQueuedPerLane: 10, onWorkerFailure: (error) => failures.push(error) });
    // Unbounded, 32 KiB of this took 38 s to convert, past the 10 s budget.
    const nest = `${'<blockquote><p>Quoted'.repeat(990)}${'</blockquote>'.repeat(990)}`;
    const raw = Buffer.from(`From: a@example.com\r\nSubject: Nested\r\nContent-Type: text/html\r\n\r\n${nest.repeat(Math.ceil(32_768 / nest.length)).replace(/.{900}/g, '$&\r\n')}`);
    await pool.digest(Buffer.from('Subject: warm-up\r\n\r\nThe worker is started.'));
    const started = performance.now();
    const digest = await pool.digest(raw);
    const digested = performance.now();
    const { parsed } = await pool.parse(raw);
    const parsedAt = performance.now();
    expect(digest).toMatchObject({ subject: 'Nested', preview: '', parseFailed: false });
    expect(parsed).toMatchObject({ text: '', failed: false, problems: [expect.stringContaining('so deeply that turning it into plain text would take too long')] });
    expect(digested - started).toBeLessThan(2000);
    expect(parsedAt - digested).toBeLessThan(2000);
    expect(failures).toEqual([]);
  });

  it('replaces a worker that runs out of heap, answers with a notice, and renders on', async () => {
    const failures: unknown[] = [];
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 32, maxQueuedPerLane: 10, onWorkerFailure: (error) => failures.push(error) });
    const document = (await pool.renderHtml(dense(1024 * 1024))).document.toString();
    expect(document).toContain("This message's HTML could not be shown safely because the parser failed on it.");
    expect(failures).toEqual([expect.objectContaining({ code: 'ERR_WORKER_OUT_OF_MEMORY' })]);
    expect((await pool.renderHtml({ html: '<p>small</p>', allowRemote: false, contentIdUrls: [] })).document.toString()).toContain('<p>small</p>');
  });
});
