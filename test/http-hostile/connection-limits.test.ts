import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { createConnectionLimits, hardConnectionCap, HEALTH_RESERVE, type ConnectionAdmission } from '../../src/http/limits/connection-limits.js';
import { createRefusalLog } from '../../src/http/limits/refusal-log.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createManualClock } from '../support/manual-clock.js';

/**
 * The counting behind the HTTP connection caps, without sockets; the same
 * rules on the wire are in connection-caps.test.ts.
 */
const settings = (flags: string[]) => parseConfig(flags, {}).http;

function admitted(admission: ConnectionAdmission): { inHealthReserve: boolean; release: () => void } {
  if (!admission.ok) throw new Error(`refused: ${admission.problem.detail}`);
  return admission;
}

describe('createConnectionLimits', () => {
  it('refuses a client past its cap with 429, a sentence, Retry-After and a closed connection; others go on', () => {
    const limits = createConnectionLimits(settings(['--http-max-connections-per-client', '2']));
    admitted(limits.admit('203.0.113.5'));
    admitted(limits.admit('203.0.113.5'));
    const refused = limits.admit('203.0.113.5');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.reason).toBe('too_many_connections_from_client');
    expect(refused.problem).toMatchObject({
      status: 429, code: 'too_many_connections_from_client', headers: { 'retry-after': '10', connection: 'close' },
      detail: 'Your address has 2 connections open to this server, the most it allows one client; close some, then try again in 10 seconds.',
    });
    expect(admitted(limits.admit('203.0.113.6')).inHealthReserve).toBe(false);
  });

  it('counts an IPv6 /64 as one client, and an IPv4-mapped address as the IPv4 one', () => {
    const limits = createConnectionLimits(settings(['--http-max-connections-per-client', '1']));
    admitted(limits.admit('2001:db8:1:2::1'));
    expect(limits.admit('2001:db8:1:2:ffff::9').ok).toBe(false);
    admitted(limits.admit('198.51.100.1'));
    expect(limits.admit('::ffff:198.51.100.1').ok).toBe(false);
  });

  it('frees a slot when a connection is released', () => {
    const limits = createConnectionLimits(settings(['--http-max-connections-per-client', '1']));
    const first = admitted(limits.admit('203.0.113.5'));
    expect(limits.admit('203.0.113.5').ok).toBe(false);
    first.release();
    admitted(limits.admit('203.0.113.5'));
  });

  it('past the total, keeps a reserve that may ask only /healthz, then refuses with 503 and a sentence', () => {
    const limits = createConnectionLimits(settings(['--http-max-connections', '3']));
    const client = (i: number) => `192.0.2.${i}`;
    for (let i = 0; i < 3; i++) expect(admitted(limits.admit(client(i))).inHealthReserve).toBe(false);
    const reserve = Array.from({ length: HEALTH_RESERVE }, (_, i) => admitted(limits.admit(client(10 + i))));
    expect(reserve.every((connection) => connection.inHealthReserve)).toBe(true);
    expect(limits.healthOnlyRefusal).toMatchObject({
      status: 503, code: 'server_busy', headers: { 'retry-after': '10', connection: 'close' },
      detail: 'This server has 3 connections open, the most it takes, and answers only /healthz until some close; please try again in 10 seconds.',
    });
    const refused = limits.admit(client(99));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.reason).toBe('too_many_connections');
    expect(refused.problem).toMatchObject({
      status: 503, code: 'server_busy', headers: { 'retry-after': '10', connection: 'close' },
      detail: 'This server has 3 connections open, the most it takes; please try again in 10 seconds.',
    });
    reserve[0]?.release();
    expect(admitted(limits.admit(client(99))).inHealthReserve).toBe(true);
  });

  it('applies only the total behind a trusted proxy, where every connection comes from the proxy', () => {
    const limits = createConnectionLimits(settings(['--trust-proxy', 'true', '--http-max-connections-per-client', '2', '--http-max-connections', '5']));
    for (let i = 0; i < 5; i++) expect(admitted(limits.admit('10.0.0.1')).inHealthReserve).toBe(false);
    expect(admitted(limits.admit('10.0.0.1')).inHealthReserve).toBe(true);
  });

  it('lets Node drop sockets only past twice the total and its reserve', () => {
    expect(hardConnectionCap(settings([]))).toBe(2 * (5_000 + HEALTH_RESERVE));
    expect(hardConnectionCap(settings(['--http-max-connections', '100']))).toBe(220);
  });
});

describe('createRefusalLog', () => {
  function logged() {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>); done(); } });
    const clock = createManualClock();
    const metrics = createMetrics(async () => ({ messages: 0, bytes: 0 }));
    const refusals = createRefusalLog({ metrics, log: pino({ level: 'info' }, sink), clock });
    const counted = async (reason: string) => (await metrics.httpConnectionsRefused.get()).values.find((value) => value.labels.reason === reason)?.value ?? 0;
    return { lines, clock, refusals, counted };
  }

  it('counts every refusal, and logs one line per client and reason a minute, saying how many went unlogged', async () => {
    const { lines, clock, refusals, counted } = logged();
    for (let i = 0; i < 50; i++) refusals.refused('too_many_connections_from_client', '203.0.113.5', 'Your address has 64 connections open.');
    refusals.refused('too_many_connections_from_client', '2001:db8::1', 'Your address has 64 connections open.');
    refusals.refused('write_timeout', '203.0.113.5', 'Cut a connection.');
    expect(await counted('too_many_connections_from_client')).toBe(51);
    expect(lines.map(({ reason, remote, unlogged, msg }) => ({ reason, remote, unlogged, msg }))).toEqual([
      { reason: 'too_many_connections_from_client', remote: '203.0.113.5', unlogged: 0, msg: 'Your address has 64 connections open.' },
      { reason: 'too_many_connections_from_client', remote: '2001:db8::1', unlogged: 0, msg: 'Your address has 64 connections open.' },
      { reason: 'write_timeout', remote: '203.0.113.5', unlogged: 0, msg: 'Cut a connection.' },
    ]);
    expect(lines.every((line) => line.event === 'refused' && line.level === 30)).toBe(true);

    clock.advance(59_999);
    refusals.refused('too_many_connections_from_client', '203.0.113.5', 'Your address has 64 connections open.');
    expect(lines).toHaveLength(3);
    clock.advance(1);
    refusals.refused('too_many_connections_from_client', '203.0.113.5', 'Your address has 64 connections open.');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatchObject({ remote: '203.0.113.5', unlogged: 50 });
  });

  it('counts an IPv6 /64 as one client for its lines too', () => {
    const { lines, refusals } = logged();
    refusals.refused('too_many_event_sockets', '2001:db8:1:2::1', 'Too many.');
    refusals.refused('too_many_event_sockets', '2001:db8:1:2::ffff', 'Too many.');
    expect(lines).toHaveLength(1);
  });
});
