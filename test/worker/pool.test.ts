import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { digestRaw } from '../../src/mail/read/digest.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { createWorkerPool, type WorkerPool } from '../../src/worker/pool.js';

const fixtures = new URL('../fixtures/mail/', import.meta.url);
const fixtureNames = readdirSync(fixtures).filter((name) => name.endsWith('.eml'));

describe('worker pool', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => pool?.close());

  it('digests and parses in worker threads exactly as in this thread', async () => {
    pool = createWorkerPool({ workers: 2, timeoutMs: 10_000, workerHeapMb: 256 });
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
    pool = createWorkerPool({ workers: 2, timeoutMs: 10_000, workerHeapMb: 256 });
    const subjects = Array.from({ length: 40 }, (_, i) => `Message ${i}`);
    const digests = await Promise.all(subjects.map((subject) => pool!.digest(Buffer.from(`Subject: ${subject}\r\n\r\nBody ${subject}\r\n`))));
    expect(digests.map((digest) => digest.subject)).toEqual(subjects);
  });

  it('reads each message to its own length from a reused scratch area, big ones included', async () => {
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 256 });
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
    pool = createWorkerPool({ workers: 1, timeoutMs: 1, workerHeapMb: 256, onWorkerFailure: (error) => failures.push(error) });
    const huge = Buffer.from(`Subject: Slow one\r\nContent-Type: text/html\r\n\r\n${'<p>word '.repeat(400_000)}\r\n`);
    const digest = await pool.digest(huge);
    expect(digest.parseFailed).toBe(true);
    expect(digest.subject).toBe('Slow one');
    await pool.close();

    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 256 });
    expect((await pool.digest(Buffer.from('Subject: Fine\r\n\r\nok\r\n'))).subject).toBe('Fine');
  });

  it('answers queued work as unparsed when closed', async () => {
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 256 });
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
    pool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 256 });
    const safe = await pool.renderHtml({
      html: '<p onclick="x()">Hi<script>alert(1)</script><img src="cid:logo@x"><img src="https://tracker.example/p.gif"></p>',
      allowRemote: false,
      contentIdUrls: [['logo@x', '/api/inboxes/a%40ephemail.test/messages/m/attachments/0']],
    });
    expect(safe.document).toContain('/api/inboxes/a%40ephemail.test/messages/m/attachments/0');
    expect(safe.document).not.toMatch(/<script|onclick|tracker\.example/);
    expect(safe.blockedRemoteCount).toBe(1);
  });

  it('answers with a notice when rendering overruns the time budget', async () => {
    pool = createWorkerPool({ workers: 1, timeoutMs: 1, workerHeapMb: 256 });
    const safe = await pool.renderHtml({ html: '<table><tr><td>cell</td></tr></table>'.repeat(50_000), allowRemote: false, contentIdUrls: [] });
    expect(safe.document).toContain('could not be shown safely');
  });
});
