import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOP_SAMPLE_MS } from '../../src/runtime/process-gauges.js';
import { mailer } from '../support/mailer.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { metric, scrapeMetrics } from '../support/scrape.js';
import { openDialog, sendRaw } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Polls /metrics until `sample` reads `value` (connection close is reported a tick later). */
async function metricBecomes(port: number, sample: string, value: number): Promise<void> {
  await expect.poll(() => metric(port, sample), { message: sample }).toBe(value);
}

describe('/metrics and /healthz over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(['--domains', 'ephemail.test', '--max-message-size', '1KB']); });
  afterAll(() => server.close());

  it('starts at zero', async () => {
    const samples = await scrapeMetrics(server.httpPort);
    for (const name of ['ephemail_messages_received_total', 'ephemail_stored_messages', 'ephemail_stored_bytes', 'ephemail_smtp_connections_total', 'ephemail_smtp_connections_open', 'ephemail_messages_expired_total', 'ephemail_messages_evicted_total']) {
      expect(samples.get(name), name).toBe(0);
    }
  });

  it('counts received and rejected messages, what is stored, and connections', async () => {
    const transport = mailer(server.smtpPort);
    await transport.sendMail({ from: 'a@example.com', to: ['m1@ephemail.test', 'm2@ephemail.test'], subject: 'one', text: 'x' });
    await transport.sendMail({ from: 'a@example.com', to: 'm1@ephemail.test', subject: 'two', text: 'y' });
    await sendRaw(server.smtpPort, { to: ['x@other.example', 'y@ephemail.test'], body: `Subject: big\r\n\r\n${'z'.repeat(2000)}\r\n` });

    const samples = await scrapeMetrics(server.httpPort);
    const stats = await server.store.stats();
    expect(stats.messages).toBe(3);
    expect({
      received: samples.get('ephemail_messages_received_total'),
      domain: samples.get('ephemail_messages_rejected_total{reason="domain_not_accepted"}'),
      tooLarge: samples.get('ephemail_messages_rejected_total{reason="too_large"}'),
      messages: samples.get('ephemail_stored_messages'),
      bytes: samples.get('ephemail_stored_bytes'),
      connections: samples.get('ephemail_smtp_connections_total'),
    }).toEqual({ received: 2, domain: 1, tooLarge: 1, messages: 3, bytes: stats.bytes, connections: 3 });
    expect(stats.bytes).toBeGreaterThan(0);
    await metricBecomes(server.httpPort, 'ephemail_smtp_connections_open', 0);
  });

  it('shows open connections while they are open', async () => {
    const dialogs = await Promise.all([openDialog(server.smtpPort), openDialog(server.smtpPort)]);
    expect(await metric(server.httpPort, 'ephemail_smtp_connections_open')).toBe(2);
    for (const dialog of dialogs) dialog.close();
    await metricBecomes(server.httpPort, 'ephemail_smtp_connections_open', 0);
  });

  it('shows what keeps the event loop alive, connections among it', async () => {
    const sockets = async () => metric(server.httpPort, 'ephemail_active_resources{type="TCPSocketWrap"}');
    expect(await metric(server.httpPort, 'ephemail_active_resources{type="TCPServerWrap"}')).toBeGreaterThanOrEqual(2);
    const before = await sockets();
    const dialogs = await Promise.all([openDialog(server.smtpPort), openDialog(server.smtpPort)]);
    // Each dialog is two sockets in this process: the client's and the server's.
    expect(await sockets()).toBeGreaterThanOrEqual(before + 4);
    for (const dialog of dialogs) dialog.close();
    await expect.poll(sockets).toBeLessThanOrEqual(before);
  });

  it('shows the event loop\'s delay since the previous scrape', async () => {
    await scrapeMetrics(server.httpPort);
    // A window's first sample only starts it (Node's monitor measures from one sample to the next).
    await new Promise((resolve) => setTimeout(resolve, 2 * LOOP_SAMPLE_MS));
    // The server shares this process's event loop: holding it is a stall the server sees.
    const until = performance.now() + 300;
    while (performance.now() < until) { /* a stalled loop */ }
    // The monitor measures the stall at its next sample, which fires before any timer set now.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const stalled = await metric(server.httpPort, 'ephemail_event_loop_delay_seconds{quantile="1"}');
    expect(stalled).toBeGreaterThanOrEqual(0.25);
    expect(await metric(server.httpPort, 'ephemail_event_loop_delay_seconds{quantile="1"}')).toBeLessThan(stalled);
  });

  it('serves Prometheus text', async () => {
    const response = await fetch(`${server.httpUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('# TYPE ephemail_messages_rejected_total counter');
  });

  it('reports health as JSON', async () => {
    const response = await fetch(`${server.httpUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const stats = await server.store.stats();
    expect(await response.json()).toEqual({ status: 'ok', store: 'ok', messages: stats.messages, bytes: stats.bytes });
  });
});

describe('expiry over the wire with a manual clock', () => {
  let server: TestServer;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = createManualClock();
    server = await startTestServer(['--ttl', '10m'], { clock });
  });
  afterAll(() => server.close());

  it('shows a message until its ttl passes, then removes it and counts it', async () => {
    await mailer(server.smtpPort).sendMail({ from: 'a@example.com', to: 'short@ephemail.test', subject: 'Soon gone', text: 'x' });
    const [summary] = await server.summaries.list('short@ephemail.test');
    expect(summary).toMatchObject({ subject: 'Soon gone', receivedAt: clock.now(), expiresAt: clock.now() + 600_000 });

    clock.advance(600_000 - 1);
    expect(await server.summaries.list('short@ephemail.test')).toHaveLength(1);
    expect(await metric(server.httpPort, 'ephemail_messages_expired_total')).toBe(0);

    clock.advance(2);
    expect(await server.summaries.list('short@ephemail.test')).toEqual([]);
    expect(await server.store.get('short@ephemail.test', summary?.id ?? '')).toBeUndefined();
    expect(await metric(server.httpPort, 'ephemail_messages_expired_total')).toBe(1);
    expect(await metric(server.httpPort, 'ephemail_stored_messages')).toBe(0);
    expect(await metric(server.httpPort, 'ephemail_stored_bytes')).toBe(0);
  });

  it('tells hub listeners that the message expired', async () => {
    const events: string[] = [];
    const unsubscribe = server.hub.subscribe('watched@ephemail.test', (event) => events.push(event.type));
    await mailer(server.smtpPort).sendMail({ from: 'a@example.com', to: 'watched@ephemail.test', subject: 'Watched', text: 'x' });
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(600_001);
    await new Promise((resolve) => setImmediate(resolve));
    unsubscribe();
    expect(events).toEqual(['message', 'expired']);
    expect(await metric(server.httpPort, 'ephemail_messages_expired_total')).toBe(2);
  });
});
