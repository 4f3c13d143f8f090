import { afterAll, describe, expect, it, vi } from 'vitest';
import { reportSchema } from '../../src/http/api/report-schema.js';
import type { Sentence } from '../../src/report/sentences/sentence.js';
import { english } from '../../src/report/sentences/sentences.js';
import { createWorkerPool } from '../../src/worker/pool.js';
import { buildTestApp, rawMessage } from '../support/http-app.js';

// The report route through app.request(), with reports made in this thread and no DNS.
const reportPath = (address: string, id: string) => `/api/inboxes/${encodeURIComponent(address)}/messages/${id}/report`;

describe('GET …/messages/{id}/report', () => {
  it('answers a report that matches its schema, made once and then kept, and 404 once the message is gone', async () => {
    const { app, deliver, reportsMade } = buildTestApp();
    const [stored] = await deliver(rawMessage({ subject: 'Welcome', html: '<p>Hello</p>' }), ['reader@ephemail.test']);
    const path = reportPath('reader@ephemail.test', stored?.id ?? '');
    const first = await app.request(path);
    expect(first.status).toBe(200);
    const report = reportSchema.parse(await first.json());
    expect(report.authentication.dnsChecked).toBe(false);
    // Every sentence also comes as its code and values, from which the same English is made again.
    // Delivered without an SMTP session: SPF had no client to check.
    expect(report.authentication.spf).toMatchObject({ explanationCode: 'spf.not-recorded', explanationValues: {} });
    expect(report.authentication.dmarc).toMatchObject({ explanationCode: 'dmarc.dns-off', explanationValues: {} });
    for (const check of report.checks) {
      const sentences: Sentence[] = [{ code: check.messageCode, values: check.messageValues }, ...check.messageNotes];
      expect(sentences.map(english).join(' '), check.id).toBe(check.message);
    }
    const said = Object.fromEntries(report.checks.map((check) => [check.id, { code: check.messageCode, values: check.messageValues }]));
    expect(said).toMatchObject({
      spf: { code: 'spf.not-recorded', values: {} },
      dkim: { code: 'dkim.unsigned', values: {} },
      'text-part': { code: 'text-part.alternative', values: {} },
      'message-id': { code: 'message-id.ok', values: {} },
      'html-size-clipping': { code: 'html-size-clipping.ok', values: { bytes: '<p>Hello</p>'.length } },
      'from-alignment': { code: 'from-alignment.pass', values: { domain: 'example.com' } },
    });
    expect(report.timeline.hops.at(-1)?.by).toBe('ephemail.test');
    expect(await (await app.request(path)).json()).toEqual(report);
    expect(reportsMade.count).toBe(1);

    await app.request(`/api/inboxes/reader@ephemail.test/messages/${stored?.id ?? ''}`, { method: 'DELETE' });
    const gone = await app.request(path);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: 'message_not_found' });
  });

  it('refuses a query parameter it does not take, naming it', async () => {
    const { app, deliver } = buildTestApp();
    const [stored] = await deliver(rawMessage(), ['reader@ephemail.test']);
    const response = await app.request(`${reportPath('reader@ephemail.test', stored?.id ?? '')}?fresh=1`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'unknown_parameter' });
  });

  describe('when no thread can finish the report', () => {
    // A report pool whose threads are given no time at all: every job ends in its fallback answer.
    const pool = createWorkerPool({ workers: 1, timeoutMs: 1, workerHeapMb: 64, maxQueuedPerLane: 4, report: { dns: { kind: 'off' }, receiver: 'ephemail.test' } });
    afterAll(() => pool.close());

    it('answers 503 report_failed with the reason and Retry-After, and for 30 s without making it again', async () => {
      const { app, deliver, reportsMade } = buildTestApp({ reportWorkers: pool });
      const [stored] = await deliver(rawMessage(), ['reader@ephemail.test']);
      const path = reportPath('reader@ephemail.test', stored?.id ?? '');
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await app.request(path);
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('30');
        expect(await response.json()).toMatchObject({
          code: 'report_failed',
          detail: 'No report could be made of this message because it took longer than 0.001 s; try again in 30 seconds.',
        });
      }
      // The second answer cost no thread: a report that overran its time once would overrun it again.
      expect(reportsMade.count).toBe(1);
    });
  });
});

describe('a report thread', () => {
  const pool = createWorkerPool({ workers: 1, timeoutMs: 30_000, workerHeapMb: 64, maxQueuedPerLane: 4, report: { dns: { kind: 'off' }, receiver: 'ephemail.test' } });
  afterAll(() => pool.close());

  it('writes nothing to the log stream, though mailauth prints for a signature whose l= exceeds the body', async () => {
    const raw = Buffer.from([
      'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=good.test; s=s1; l=100000; bh=AAAA; h=from; b=AAAA',
      'From: a@good.test', 'Subject: length', '', 'Short body.', '',
    ].join('\r\n'));
    const written = vi.spyOn(process.stdout, 'write');
    try {
      const report = await pool.report(raw, { mailFrom: 'a@good.test', session: null, receivedAt: Date.now() });
      expect('failure' in report).toBe(false);
      // The thread's output would reach this process's stdout a moment later; a second report flushes the same pipe.
      await pool.report(raw, { mailFrom: 'a@good.test', session: null, receivedAt: Date.now() });
      expect(written.mock.calls.map(([chunk]) => String(chunk)).filter((chunk) => chunk.includes('EXPECTING'))).toEqual([]);
    } finally {
      written.mockRestore();
    }
  });
});
