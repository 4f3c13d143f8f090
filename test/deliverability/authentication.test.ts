import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiReport } from '../../src/client/index.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { compose, dkimKey, reportOf as reportVia } from './signed-mail.js';

// A real DNS server (dnsmasq) publishes the zones; nodemailer signs; mail
// arrives over real SMTP from 127.0.0.1; the report is read over HTTP.
const goodKey = dkimKey();
const zone = (bimiPort: number) => ({
  txt: {
    // A logo and certificate for BIMI on a host the sender chose: a report never fetches them.
    'default._bimi.good.test': `v=BIMI1; l=https://127.0.0.1:${bimiPort}/logo.svg; a=https://127.0.0.1:${bimiPort}/vmc.pem`,
    // good.test sends from this machine and signs its mail.
    'good.test': 'v=spf1 ip4:127.0.0.1 -all',
    's1._domainkey.good.test': goodKey.record,
    '_dmarc.good.test': 'v=DMARC1; p=reject',
    // An email service whose SPF allows this machine, but whose domain is not the From domain.
    'esp.test': 'v=spf1 ip4:127.0.0.1 -all',
    // A bank whose mail comes only from 192.0.2.1.
    'bank.test': 'v=spf1 ip4:192.0.2.1 -all',
    '_dmarc.bank.test': 'v=DMARC1; p=quarantine',
  },
});

let dns: TestDnsServer;
let server: TestServer;
// Every connection any host makes to the BIMI host the sender named.
let bimiHost: Server;
let bimiConnections = 0;

beforeAll(async () => {
  bimiHost = createServer((socket) => {
    bimiConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => bimiHost.listen(0, '127.0.0.1', resolve));
  dns = await startDnsServer(zone((bimiHost.address() as AddressInfo).port));
  server = await startTestServer(['--dns-servers', dns.address, '--memory-share', '100']);
});

afterAll(async () => {
  await server?.close();
  await dns?.stop();
  await new Promise((resolve) => bimiHost?.close(resolve));
});

const reportOf = (raw: Buffer, envelope: { helo: string; mailFrom: string }) => reportVia(server, raw, envelope);

const checkOf = (report: ApiReport, id: string) => report.checks.find((check) => check.id === id);

describe('authentication against a real DNS server', () => {
  it('passes SPF, DKIM and DMARC for aligned, signed mail, and scores it high', async () => {
    const sendersHost = `http://127.0.0.1:${(bimiHost.address() as AddressInfo).port}`;
    const raw = await compose({
      from: 'hello@good.test', to: 'x@ephemail.test', subject: 'Your code', text: 'Your code is 123456.',
      html: `<p>Your code is 123456.</p><img src="${sendersHost}/pixel.png" alt="" width="1" height="1"><a href="${sendersHost}/confirm">Confirm</a>`,
      headers: { 'BIMI-Selector': 'v=BIMI1; s=default' },
    }, { domain: 'good.test', selector: 's1', key: goodKey });
    const report = await reportOf(raw, { helo: 'mx.good.test', mailFrom: 'bounce@good.test' });

    expect(report.authentication.spf).toMatchObject({ result: 'pass', domain: 'good.test' });
    expect(report.authentication.dkim).toEqual([expect.objectContaining({ result: 'pass', domain: 'good.test', selector: 's1', aligned: true })]);
    expect(report.authentication.dkim[0]?.signedHeaders).toContain('from');
    expect(report.authentication.dmarc).toMatchObject({ result: 'pass', policy: 'reject', alignment: { spf: true, dkim: true } });
    expect(report.authentication.arc.result).toBe('none');
    expect(report.authentication.dnsChecked).toBe(true);
    expect(['spf', 'dkim', 'dmarc', 'from-alignment'].map((id) => checkOf(report, id)?.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(['spf', 'dkim', 'dmarc', 'from-alignment'].map((id) => checkOf(report, id)?.messageCode))
      .toEqual(['spf.pass', 'dkim.pass', 'dmarc.pass-dkim-spf', 'from-alignment.pass']);
    expect(report.authentication.spf.explanationValues).toEqual({ domain: 'good.test', ip: '127.0.0.1' });
    expect(report.score).toBeGreaterThanOrEqual(9);
    // The message and its domain name a host of the sender's choosing (BIMI logo and certificate, an image,
    // links): a report looks them up in DNS at most, and never connects to them.
    expect(bimiConnections).toBe(0);
  });

  it('fails DKIM for a body changed after signing, and DMARC where SPF passed only for another domain', async () => {
    const signed = await compose({ from: 'hello@good.test', to: 'x@ephemail.test', subject: 'Invoice', text: 'Pay 10 EUR to account 1234.' },
      { domain: 'good.test', selector: 's1', key: goodKey });
    const tampered = Buffer.from(signed.toString('latin1').replace('Pay 10 EUR', 'Pay 9000 EUR'), 'latin1');
    const report = await reportOf(tampered, { helo: 'mta.esp.test', mailFrom: 'bounces@esp.test' });

    expect(report.authentication.spf).toMatchObject({ result: 'pass', domain: 'esp.test' });
    const [signature] = report.authentication.dkim;
    expect(signature).toMatchObject({ result: 'fail', domain: 'good.test' });
    expect(signature?.explanation).toMatch(/body was changed after good\.test signed it/);
    expect(signature).toMatchObject({ explanationCode: 'dkim.body-changed', explanationValues: { domain: 'good.test' } });
    expect(report.authentication.dmarc).toMatchObject({ result: 'fail', policy: 'reject', alignment: { spf: false, dkim: false } });
    expect(report.authentication.dmarc.explanation).toMatch(/refuse it/);
    expect(report.authentication.dmarc).toMatchObject({ explanationCode: 'dmarc.fail-reject', explanationValues: { domain: 'good.test' } });
    expect(checkOf(report, 'dkim')).toMatchObject({ status: 'fail' });
    expect(checkOf(report, 'dmarc')).toMatchObject({ status: 'fail' });
  });

  it('fails SPF and DMARC for a spoofed From sent from a host outside SPF, and scores it below signed mail', async () => {
    const raw = await compose({ from: 'security@bank.test', to: 'x@ephemail.test', subject: 'Verify your account', text: 'Log in now.' });
    const report = await reportOf(raw, { helo: 'mail.bank.test', mailFrom: 'security@bank.test' });

    expect(report.authentication.spf.result).toBe('fail');
    expect(report.authentication.spf.explanation).toBe("127.0.0.1 is not allowed by bank.test's SPF record; add it, or send through a host that is.");
    expect(report.authentication.dkim).toEqual([]);
    expect(report.authentication.dmarc).toMatchObject({ result: 'fail', policy: 'quarantine' });
    expect(checkOf(report, 'dkim')).toMatchObject({ message: expect.stringMatching(/not signed with DKIM/), messageCode: 'dkim.unsigned' });
    expect(checkOf(report, 'spf')).toMatchObject({ messageCode: 'spf.fail', messageValues: { domain: 'bank.test', ip: '127.0.0.1' } });
    expect(report.score).toBeLessThanOrEqual(4);
    for (const check of report.checks.filter((each) => each.status === 'fail' || each.status === 'warn')) {
      expect(check.penalty).toBeGreaterThan(0);
      expect(check.message).toMatch(/[a-z].*[.)]$/);
    }
  });

  it('says none with the reason for a domain that publishes nothing, and warns of the unaligned From', async () => {
    const raw = await compose({ from: 'team@nowhere.test', to: 'x@ephemail.test', subject: 'Hi', text: 'Hello.' });
    const report = await reportOf(raw, { helo: 'mx.esp.test', mailFrom: 'bounces@esp.test' });

    expect(report.authentication.dmarc).toMatchObject({ result: 'none', domain: 'nowhere.test', policy: null });
    expect(report.authentication.dmarc.explanation).toMatch(/_dmarc\.nowhere\.test/);
    expect(checkOf(report, 'from-alignment')?.message).toBe('From says nowhere.test, but the message is MAIL FROM esp.test; sign it with DKIM as nowhere.test, or use a MAIL FROM under nowhere.test, so that receivers see the sender is who From says.');
    expect(checkOf(report, 'dmarc')).toMatchObject({ messageCode: 'dmarc.none', messageValues: { domain: 'nowhere.test' } });
  });
});
