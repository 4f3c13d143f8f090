import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemail } from '../../src/client/index.js';
import { compose, deliver, dkimKey } from '../deliverability/signed-mail.js';
import { timedDelivery } from '../smtp-hostile/clients.js';
import { startBrokenDnsServer } from '../support/dns-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Issue 20: DNS that never answers must give temperrors quickly, never stall
 * intake or anyone's reading. Four reports at once against a silent DNS
 * server (two report threads, each report's lookups cut at 4 s), while a
 * neighbour lists an inbox, reads a message, asks /healthz and delivers mail.
 */

const REPORTS = 4;
// Two rounds of two threads, each ending its lookups within 4 s, plus the
// threads' start (a second or two from source) on a shared machine.
const REPORTS_WITHIN_MS = 15_000;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

describe('reports against a DNS server that never answers', () => {
  let dns: Awaited<ReturnType<typeof startBrokenDnsServer>>;
  let server: TestServer;

  beforeAll(async () => {
    dns = await startBrokenDnsServer('silent');
    server = await startTestServer(['--dns-servers', dns.address, '--parse-workers', '2', '--memory-share', '100']);
  });
  afterAll(async () => {
    await server?.close();
    await dns?.stop();
  });

  it('answer with temperrors within seconds, while the neighbours see no delay', async () => {
    const client = ephemail(server.httpUrl);
    const key = dkimKey();
    const inbox = client.inbox('reports@ephemail.test');
    for (let index = 0; index < REPORTS; index++) {
      const raw = await compose({ from: `news@sender${index}.test`, to: inbox.address, subject: `Report ${index}`, text: 'Hello.' },
        { domain: `sender${index}.test`, selector: 's1', key });
      await deliver(server.smtpPort, raw, { helo: `mx.sender${index}.test`, mailFrom: `bounce@sender${index}.test`, to: inbox.address });
    }
    const neighbour = client.inbox('neighbour@ephemail.test');
    await timedDelivery(server.smtpPort, neighbour.address, 'before');
    await expect.poll(async () => (await neighbour.messages()).length).toBe(1);
    const [listed] = await neighbour.messages();
    await expect.poll(async () => (await inbox.messages()).length).toBe(REPORTS);
    const ids = (await inbox.messages()).map((message) => message.id);

    const reports = Promise.all(ids.map((id) => timed(() => inbox.report(id))));
    // While the report threads wait on DNS, everyone else is served at once.
    const neighbourTimes = [];
    for (let round = 0; round < 3; round++) {
      neighbourTimes.push((await timed(() => fetch(`${server.httpUrl}/healthz`))).ms);
      neighbourTimes.push((await timed(() => neighbour.messages())).ms);
      neighbourTimes.push((await timed(() => neighbour.message(listed?.id ?? ''))).ms);
      neighbourTimes.push(await timedDelivery(server.smtpPort, neighbour.address, `during ${round}`));
    }

    const answered = await reports;
    for (const { ms, value } of answered) {
      expect(value.authentication.spf.result).toBe('temperror');
      expect(value.authentication.dkim[0]?.result).toBe('temperror');
      expect(ms).toBeLessThan(REPORTS_WITHIN_MS);
    }
    expect(dns.queries()).toBeGreaterThan(0);
    expect(Math.max(...neighbourTimes)).toBeLessThan(1_000);
  });
});
