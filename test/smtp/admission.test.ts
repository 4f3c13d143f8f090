import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { createSystemClock } from '../../src/runtime/clock.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import type { SharedCounter } from '../../src/runtime/shared-counter.js';
import type { SlotGrant } from '../../src/runtime/client-slots.js';
import { createSmtpIntake, type SmtpIntake } from '../../src/smtp/server.js';
import { selfSignedCertificate } from '../../src/smtp/tls.js';
import { capturingLogger } from '../support/log-lines.js';
import { openDialog } from '../support/smtp-dialog.js';

/**
 * A shared count that answers when the test says so, as Redis answers after a
 * round trip: what happens between the question and the answer is the subject.
 */
function heldCount() {
  const pending: Array<{ resolve: (grant: SlotGrant) => void; reject: (error: Error) => void }> = [];
  const counter: SharedCounter = {
    takeToken: async () => null,
    takeSlot: () => new Promise((resolve, reject) => pending.push({ resolve, reject })),
  };
  return { counter, pending };
}

describe('admitting an SMTP connection whose count is asked across instances', () => {
  let intake: SmtpIntake | null = null;
  afterEach(async () => { await intake?.close(0); intake = null; });

  async function start(counter: SharedCounter) {
    const config = parseConfig(['--smtp-port', '0'], {});
    const { log, lines } = capturingLogger('info');
    intake = createSmtpIntake({
      config: config.smtp, domains: config.domains, tls: await selfSignedCertificate('localhost'), shared: counter,
      deliver: async () => [], shareOf: async () => null, log,
      metrics: createMetrics(async () => ({ messages: 0, bytes: 0 })), clock: createSystemClock(),
    });
    return { port: await intake.listen(), intake, lines };
  }

  it('refuses with 421 4.3.2 a connection whose count came back after close() began, rather than greet it', async () => {
    const held = heldCount();
    const { port, intake: running } = await start(held.counter);
    const dialog = openDialog(port);
    await expect.poll(() => held.pending.length).toBe(1);
    const closing = running.close(5_000);
    held.pending[0]?.resolve({ ok: true, release: () => {} });
    expect((await dialog).greeting.text).toMatch(/^421 4\.3\.2 This server is shutting down/);
    await closing;
  });

  it('refuses with 421 4.3.0 and a sentence, and logs it, when counting fails, and the process goes on', async () => {
    const held = heldCount();
    const { port, lines } = await start(held.counter);
    const dialog = openDialog(port);
    await expect.poll(() => held.pending.length).toBe(1);
    held.pending[0]?.reject(new Error('the count broke'));
    expect((await dialog).greeting.text).toBe('421 4.3.0 This server could not count your connection just now; please try again in a moment.');
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'admitting an SMTP connection failed' }));
    // The next connection is asked about as usual.
    const next = openDialog(port);
    await expect.poll(() => held.pending.length).toBe(2);
    held.pending[1]?.resolve({ ok: true, release: () => {} });
    expect((await next).greeting.code).toBe(220);
    (await next).close();
  });
});
