import { afterEach, describe, expect, it } from 'vitest';
import { capturingLogger } from '../support/log-lines.js';
import { sendRaw } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('SMTP log lines', () => {
  let server: TestServer | null = null;
  afterEach(async () => { await server?.close(); server = null; });

  async function deliver(level: 'info' | 'debug') {
    const { log, lines } = capturingLogger(level);
    server = await startTestServer(['--domains', 'ephemail.test'], { log });
    const replies = await sendRaw(server.smtpPort, { to: ['a@ephemail.test', 'b@elsewhere.example'], body: 'Subject: hi\r\n\r\nhello' });
    expect(replies.at(-1)?.code).toBe(250);
    const [stored] = await server.summaries.list('a@ephemail.test');
    return { lines, id: stored?.id };
  }

  it('logs a refused recipient at info and an accepted message only at debug', async () => {
    const { lines } = await deliver('info');
    expect(lines.find((line) => line.event === 'rejected')).toMatchObject({ reason: 'domain_not_accepted', level: 30 });
    expect(lines.some((line) => line.event === 'accepted')).toBe(false);
  });

  it('names the stored copies in the accepted line at debug', async () => {
    const { lines, id } = await deliver('debug');
    expect(lines.find((line) => line.event === 'accepted')).toMatchObject({ level: 20, msg: 'message stored', inboxes: 1, ids: [id] });
  });
});
