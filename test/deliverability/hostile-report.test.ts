import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokenDnsServer, startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { compose, dkimKey, reportOf } from './signed-mail.js';

// What a report says when DNS fails, is off, or the message is malformed.
// How fast it says it is measured in the load pass (test/load/report-dns.test.ts).
const key = dkimKey();
const signer = { domain: 'good.test', selector: 's1', key };
const envelope = { helo: 'mx.good.test', mailFrom: 'bounce@good.test' };

const reportFrom = (server: TestServer, raw: Buffer) => reportOf(server, raw, envelope);

const signedMail = () => compose({ from: 'hello@good.test', to: 'x@ephemail.test', subject: 'Hello', text: 'Hello there.' }, signer);

describe.each(['silent', 'garbage'] as const)('a DNS server that answers %s', (kind) => {
  let dns: Awaited<ReturnType<typeof startBrokenDnsServer>>;
  let server: TestServer;
  beforeAll(async () => {
    dns = await startBrokenDnsServer(kind);
    server = await startTestServer(['--dns-servers', dns.address]);
  });
  afterAll(async () => {
    await server?.close();
    await dns?.stop();
  });

  it('gives temperror results with sentences, and the route still answers 200 with every check', async () => {
    const report = await reportFrom(server, await signedMail());
    expect(dns.queries()).toBeGreaterThan(0);
    expect(report.authentication.spf.result).toBe('temperror');
    expect(report.authentication.spf.explanation).toMatch(/could not be looked up.*check that its DNS servers answer/);
    expect(report.authentication.dkim.map((signature) => signature.result)).toEqual(['temperror']);
    expect(report.authentication.dmarc.result).toBe('temperror');
    expect(report.checks.find((check) => check.id === 'spf')).toMatchObject({ status: 'warn' });
    expect(report.timeline.hops.length).toBeGreaterThan(0);
  });
});

describe('DNS lookups off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(['--dns-servers', 'off']);
  });
  afterAll(async () => server?.close());

  it('says none with the reason, costs nothing for it, and still runs the checks that need no DNS', async () => {
    const report = await reportFrom(server, await signedMail());
    expect(report.authentication.dnsChecked).toBe(false);
    expect(report.authentication.spf).toMatchObject({ result: 'none', explanation: 'DNS lookups are switched off on this server (--dns-servers off), so SPF was not checked.' });
    expect(report.authentication.dkim).toEqual([expect.objectContaining({ result: 'none', domain: 'good.test', aligned: true })]);
    expect(report.authentication.dmarc.result).toBe('none');
    for (const id of ['spf', 'dkim', 'dmarc']) expect(report.checks.find((check) => check.id === id)).toMatchObject({ status: 'info', penalty: 0 });
    expect(report.checks.find((check) => check.id === 'from-alignment')).toMatchObject({ status: 'pass' });
  });

  it('still fails a signature whose body was changed, which needs no key to tell', async () => {
    const tampered = Buffer.from((await signedMail()).toString('latin1').replace('Hello there.', 'Hello here.'), 'latin1');
    const report = await reportFrom(server, tampered);
    expect(report.authentication.dkim[0]?.result).toBe('fail');
    expect(report.checks.find((check) => check.id === 'dkim')).toMatchObject({ status: 'fail' });
  });
});

describe('malformed authentication headers', () => {
  let dns: TestDnsServer;
  let server: TestServer;
  beforeAll(async () => {
    dns = await startDnsServer({ txt: { 'good.test': 'v=spf1 ip4:999.1.1.1/99 ip4:127.0.0.1 -all', 's1._domainkey.good.test': key.record } });
    server = await startTestServer(['--dns-servers', dns.address, '--memory-share', '100']);
  });
  afterAll(async () => {
    await server?.close();
    await dns?.stop();
  });

  it('reads a broken SPF record as permerror, and a garbled DKIM-Signature as a signature that fails, each with a sentence', async () => {
    const raw = Buffer.from([
      'DKIM-Signature: v=1; a=rsa-sha256; d=good.test; s=s1; b=;;;; bh=@@@; h=',
      'DKIM-Signature: \u0000\u0001garbage=== ;;;',
      'From: hello@good.test', 'To: x@ephemail.test', 'Subject: broken', '', 'Body.', '',
    ].join('\r\n'), 'latin1');
    const report = await reportFrom(server, raw);
    expect(report.authentication.spf.result).toBe('permerror');
    expect(report.authentication.spf.explanation).toMatch(/SPF record is broken/);
    expect(report.authentication.dkim.length).toBeGreaterThan(0);
    for (const signature of report.authentication.dkim) {
      expect(signature.result).not.toBe('pass');
      expect(signature.explanation.length).toBeGreaterThan(20);
    }
    expect(report.checks.find((check) => check.id === 'dkim')?.status).toBe('fail');
  });

  it('verifies the first 10 of 300 DKIM-Signatures of a 5 MB body, each with its own length, and counts the rest', async () => {
    const headers = Array.from({ length: 5_000 }, (_, index) => `X-Filler-${index}: ${'x'.repeat(40)}`);
    // Each is verified apart: a key lookup, an RSA check, a body hash of its own length.
    const signatures = Array.from({ length: 300 }, (_, index) => `DKIM-Signature: v=1; a=rsa-sha256; c=simple/simple; d=d${index}.test; s=s; l=${index + 1}; bh=AAAA; b=AAAA; h=from`);
    const body = `${'All work and no play. '.repeat(70)}\r\n`.repeat(3_200);
    const raw = Buffer.from([...signatures, ...headers, 'From: a@good.test', 'Subject: many', '', body].join('\r\n'));
    const report = await reportFrom(server, raw);
    const { dkim } = report.authentication;
    expect(dkim).toHaveLength(11);
    expect(dkim.slice(0, 10).every((signature) => signature.result !== 'pass')).toBe(true);
    expect(dkim[10]).toMatchObject({ result: 'none', explanation: expect.stringMatching(/^290 more DKIM-Signature header\(s\) past the first 10 were not checked/) });
  });

  it('lists a DKIM-Signature header mailauth cannot read as permerror, not as an unsigned message', async () => {
    const raw = Buffer.from(['DKIM-Signature: v=1; a=rsa-sha256; bh=AAAA; b=AAAA; h=from', 'From: a@good.test', 'Subject: unreadable', '', 'Body.', ''].join('\r\n'));
    const report = await reportFrom(server, raw);
    expect(report.authentication.dkim).toEqual([expect.objectContaining({ result: 'permerror', domain: null, explanation: expect.stringContaining('lacks d= or s=') })]);
    expect(report.checks.find((check) => check.id === 'dkim')).toMatchObject({ status: 'fail', message: expect.stringContaining('cannot be read') });
  });
});
