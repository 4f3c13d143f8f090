import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiReport } from '../../src/client/index.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { compose, dkimKey, reportOf } from './signed-mail.js';

// The sending mistakes, each made by a real library (nodemailer),
// signed, delivered over SMTP and judged with a real DNS server.
const key = dkimKey();
const signer = { domain: 'news.test', selector: 'mail', key };
const envelope = { helo: 'mx.news.test', mailFrom: 'bounce@news.test' };
const from = 'News <news@news.test>';

let dns: TestDnsServer;
let server: TestServer;

beforeAll(async () => {
  dns = await startDnsServer({
    txt: { 'news.test': 'v=spf1 ip4:127.0.0.1 -all', 'mail._domainkey.news.test': key.record, '_dmarc.news.test': 'v=DMARC1; p=none' },
  });
  server = await startTestServer(['--dns-servers', dns.address, '--memory-share', '100']);
});

afterAll(async () => {
  await server?.close();
  await dns?.stop();
});

const checkOf = (report: ApiReport, id: string) => report.checks.find((check) => check.id === id);
const html = (body: string) => `<!doctype html><html><body>${body}</body></html>`;

describe('content checks on real mail', () => {
  it('fail bulk mail without one-click unsubscribe, and pass it once both headers are signed', async () => {
    const newsletter = { from, to: 'x@ephemail.test', subject: 'This week', text: 'News of the week.', html: html('<p>News of the week.</p>') };
    const without = await reportOf(server, await compose({ ...newsletter, headers: { 'List-Unsubscribe': '<https://news.test/u/1>' } }, signer), envelope);
    expect(checkOf(without, 'list-unsubscribe-one-click')).toMatchObject({ status: 'fail' });
    expect(checkOf(without, 'list-unsubscribe-one-click')?.message).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/);

    const oneClick = await compose({
      ...newsletter,
      headers: { 'List-Unsubscribe': '<https://news.test/u/1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    }, { ...signer, headers: ['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type', 'List-Unsubscribe', 'List-Unsubscribe-Post'] });
    const withIt = await reportOf(server, oneClick, envelope);
    expect(withIt.authentication.dkim[0]?.signedHeaders).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
    expect(checkOf(withIt, 'list-unsubscribe-one-click')).toMatchObject({ status: 'pass', penalty: 0 });
    expect(withIt.score).toBeGreaterThan(without.score);
  });

  it('fails HTML over 102 KB, which Gmail clips', async () => {
    const paragraph = `<p>${'Our autumn collection is here, with coats, boots and scarves. '.repeat(20)}</p>`;
    const big = html(paragraph.repeat(Math.ceil(110_000 / paragraph.length)));
    const report = await reportOf(server, await compose({ from, to: 'x@ephemail.test', subject: 'Autumn', text: 'Autumn.', html: big }, signer), envelope);
    expect(checkOf(report, 'html-size-clipping')).toMatchObject({ status: 'fail' });
    expect(checkOf(report, 'html-size-clipping')?.message).toMatch(/Gmail/);
  });

  it('fails HTML without a plain-text part', async () => {
    const report = await reportOf(server, await compose({ from, to: 'x@ephemail.test', subject: 'HTML only', html: html('<p>Only HTML here.</p>') }, signer), envelope);
    expect(checkOf(report, 'text-part')).toMatchObject({ status: 'fail', penalty: 1 });
  });

  it('names the 14-minute hop of a Received chain, and puts this server last', async () => {
    // Sent 15.5 minutes ago: 1 minute to the relay, 14 to mx2, half a minute on to this server.
    const sent = Date.now() - 15.5 * 60_000;
    const at = (minutes: number) => new Date(sent + minutes * 60_000).toUTCString().replace('GMT', '+0000');
    const raw = await compose({
      from, to: 'x@ephemail.test', subject: 'Slow', text: 'This took a while.', date: new Date(sent),
      headers: [
        { key: 'Received', value: `from relay.news.test (relay.news.test [192.0.2.7]) by mx2.news.test with ESMTPS id B2; ${at(15)}` },
        { key: 'Received', value: `from app.news.test (app.news.test [192.0.2.5]) by relay.news.test with ESMTP id A1; ${at(1)}` },
      ],
    }, signer);
    const report = await reportOf(server, raw, envelope);
    const { hops } = report.timeline;
    expect(hops.map((hop) => [hop.from, hop.by])).toEqual([
      ['app.news.test', 'relay.news.test'], ['relay.news.test', 'mx2.news.test'], ['mx.news.test [127.0.0.1]', 'ephemail.test'],
    ]);
    expect(hops[1]?.delaySeconds).toBe(14 * 60);
    expect(checkOf(report, 'slow-hop')).toMatchObject({ status: 'warn' });
    expect(checkOf(report, 'slow-hop')?.message).toMatch(/relay\.news\.test -> mx2\.news\.test took 14 minutes/);
    expect(report.timeline.totalSeconds).toBeGreaterThanOrEqual(15 * 60);
  });
});
