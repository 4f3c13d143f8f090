import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoizedDomainChecker } from '../../src/mail/address/address.js';
import { readRecipientLine } from '../../src/smtp/recipient-line.js';
import { judgeRecipient } from '../../src/smtp/recipient-rule.js';
import { buildTestApp } from '../support/http-app.js';
import { dataBlock, openDialog, type SmtpDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Property: for a name written in RCPT TO:<name@domain>, SMTP and GET /api/addresses/check agree. Both accept, and the
// mail lands in exactly the inbox the API names, or both refuse with the same sentence.

// Mostly what a name may hold, so a good share is valid; then what clients and people type by mistake, and other scripts.
const nameChar = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...'abcxyzABCXYZ0189._-') },
  { weight: 3, arbitrary: fc.constant('+') },
  { weight: 4, arbitrary: fc.constantFrom(' ', '"', '(', ')', ':', ';', ',', '@', '[', ']', '\\', '!', '#', '%', '/', '=', '?', '\'', '\t', '\u00a0') },
  { weight: 3, arbitrary: fc.constantFrom('п', 'Ж', 'é', 'ü', 'ß', 'Σ', '中', '\u212a', 'ａ', 'İ', '\u0301', '\u200b') },
);
// Neither angle bracket, which end the path, nor a leading @, which starts a source route (RFC 5321's, ignored).
const localPart = fc.string({ unit: nameChar, maxLength: 24 }).filter((name) => !name.startsWith('@'));
const longName = fc.constantFrom('a'.repeat(64), 'a'.repeat(65), `${'ж'.repeat(32)}`, `${'b'.repeat(60)}+tag`);
const name = fc.oneof({ weight: 20, arbitrary: localPart }, { weight: 1, arbitrary: longName });
const domain = fc.constantFrom('ephemail.test', 'EPHEMAIL.test', 'Ephemail.Test');

interface ApiCheck {
  valid: boolean;
  reason: string | null;
  address: string | null;
}

const checkPath = (name: string, at: string) => `/api/addresses/check?localPart=${encodeURIComponent(name)}&domain=${encodeURIComponent(at)}`;

describe('SMTP and the API agree on random names', () => {
  let server: TestServer;
  let dialog: SmtpDialog;
  beforeAll(async () => {
    // Every refusal is a 5xx, and the API is asked once per name: neither limit is under test here.
    server = await startTestServer(['--smtp-max-bad-commands', '100000', '--rate-limit', '1000000', '--rate-burst', '1000000']);
    dialog = await openDialog(server.smtpPort);
    expect((await dialog.command('EHLO client.test')).code).toBe(250);
  });
  afterAll(async () => {
    dialog.close();
    await server.close();
  });

  it('over real sockets: 250 names on one SMTP session, with SMTPUTF8 and without, each delivered where the API says', async () => {
    let sent = 0;
    const started = performance.now();
    await fc.assert(fc.asyncProperty(name, domain, fc.boolean(), async (local, at, smtpUtf8) => {
      const api = (await (await fetch(`${server.httpUrl}${checkPath(local, at)}`)).json()) as ApiCheck;
      expect((await dialog.command(`MAIL FROM:<app@example.com>${smtpUtf8 ? ' SMTPUTF8' : ''}`)).code).toBe(250);
      const reply = await dialog.command(`RCPT TO:<${local}@${at}>`);
      if (!api.valid) {
        expect(reply.text).toBe(`553 5.1.3 ${api.reason}`);
        expect((await dialog.command('RSET')).code).toBe(250);
        return;
      }
      expect(reply.text).toBe('250 2.1.5 Accepted');
      const subject = `agreement ${++sent}`;
      expect((await dialog.command('DATA')).code).toBe(354);
      const stored = dialog.read();
      await dialog.write(dataBlock(`Subject: ${subject}\r\n\r\nx\r\n`));
      expect((await stored).text).toBe('250 2.6.0 Message stored in one inbox');
      const list = await server.summaries.list(api.address ?? '');
      expect(list.map((summary) => summary.subject)).toContain(subject);
    // One session for all runs: shrinking would replay on it, so the first failure is reported as it came.
    }), { numRuns: 250, endOnFailure: true });
    // A good share of both answers (about a third are valid), or the property says little.
    expect(sent).toBeGreaterThan(30);
    expect(sent).toBeLessThan(220);
    expect((await server.store.stats()).messages).toBe(sent);
    console.info(`[agreement] 250 names over SMTP and HTTP, ${sent} delivered, in ${Math.round(performance.now() - started)} ms`);
  });
});

describe('SMTP and the API agree on random names, through the functions each calls', () => {
  it('reads and judges 5,000 names as RCPT TO does, and the API route answers the same', async () => {
    const { app, domains } = buildTestApp({ limits: { rateLimitPerMinute: 1e9, rateBurst: 1e9 } });
    const checkDomain = memoizedDomainChecker();
    await fc.assert(fc.asyncProperty(name, domain, async (local, at) => {
      const api = (await (await app.request(checkPath(local, at))).json()) as ApiCheck;
      const line = readRecipientLine(`RCPT TO:<${local}@${at}>`);
      if (!line.ok) throw new Error(`unreadable: ${line.reply.message}`);
      const verdict = judgeRecipient(line.written, domains, checkDomain);
      if (verdict.ok) expect(api).toMatchObject({ valid: true, address: verdict.address.inbox });
      else expect([verdict.reply.responseCode, verdict.reply.message]).toEqual([553, api.reason]);
    }), { numRuns: 5_000 });
  });
});
