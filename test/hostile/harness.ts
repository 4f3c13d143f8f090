import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ApiMessage } from '../../src/http/api/types.js';
import { safeHtmlCsp } from '../../src/sanitize/csp.js';
import { mailer } from '../support/mailer.js';
import { openDialog, type SmtpReplyLines } from '../support/smtp-dialog.js';
import type { TestServer } from '../support/test-server.js';
import { inertProblems } from './inert.js';

/**
 * Sends hostile messages over real SMTP and reads them back over real HTTP,
 * measuring the event loop of this process, where the server's main thread
 * runs. The test's own heavy work (building messages, parsing JSON, checking
 * bodies) happens outside the measured windows, so what is measured is the
 * server's work plus cheap socket I/O.
 */

/** The largest event-loop delay seen while measuring, across windows. */
export interface LoopWatch {
  measure<T>(run: () => Promise<T>): Promise<T>;
  maxMs(): number;
}

export function loopWatch(): LoopWatch {
  let max = 0;
  return {
    async measure(run) {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      try {
        return await run();
      } finally {
        histogram.disable();
        max = Math.max(max, histogram.max / 1e6);
      }
    },
    maxMs: () => max,
  };
}

/** One HTTP answer, body kept as bytes so reading it costs the loop nothing. */
export interface RouteAnswer {
  path: string;
  status: number;
  headers: Headers;
  body: Buffer;
}

/** GET `path` from the server's HTTP side. */
export async function get(server: TestServer, path: string): Promise<RouteAnswer> {
  const response = await fetch(`${server.httpUrl}${path}`);
  return { path, status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/**
 * The body as it travels after DATA. smtp-server un-stuffs a dot after any
 * LF, bare or not, except an LF that is the first byte of DATA (it scans from
 * the third byte on), so (unlike dataBlock) every such dot is doubled:
 * hostile bytes then arrive exactly as sent. RFC 5321 defines lines, and so
 * stuffing, by CRLF alone; after a bare LF either reading is outside it.
 */
export function stuffed(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const withEnd = text.endsWith('\r\n') ? text : `${text}\r\n`;
  const dotted = withEnd.replace(/(^|\n)\./g, (match: string, lead: string, offset: number) => (offset === 0 && lead === '\n' ? match : `${lead}..`));
  return Buffer.from(`${dotted}.\r\n`, 'latin1');
}

/** The final reply to DATA, or to the command that refused the transaction; code 0 if the connection broke instead. */
export async function deliver(port: number, to: string, block: Buffer): Promise<SmtpReplyLines> {
  const dialog = await openDialog(port);
  try {
    for (const line of ['EHLO hostile.test', 'MAIL FROM:<hostile@example.com>', `RCPT TO:<${to}>`]) {
      const reply = await dialog.command(line);
      if (reply.code !== 250) return reply;
    }
    const data = await dialog.command('DATA');
    if (data.code !== 354) return data;
    const reply = dialog.read();
    await dialog.write(block);
    return await reply;
  } catch (error) {
    return { code: 0, lines: [], text: String(error) };
  } finally {
    dialog.close();
  }
}

/** What one hostile message led to. */
export interface Exchange {
  reply: SmtpReplyLines;
  rawBytes: number;
  /** Every answer for the stored message; empty when it was refused. */
  answers: RouteAnswer[];
  message: ApiMessage | null;
  maxLoopMs: number;
}

const INBOX_ROUTES = (inbox: string) => `/api/inboxes/${encodeURIComponent(inbox)}`;
// Enough to reach every route; reading 1,000 empty attachments would prove nothing more.
const ATTACHMENTS_READ = 8;

/** Delivers `raw` to `inbox` and, when stored, reads it through every route. */
export async function exchange(server: TestServer, inbox: string, raw: Buffer): Promise<Exchange> {
  const watch = loopWatch();
  const block = stuffed(raw);
  const reply = await watch.measure(() => deliver(server.smtpPort, inbox, block));
  // The first listing reads the digest (in a parse worker), inside the measured window.
  const [summary] = reply.code === 250 ? await watch.measure(() => server.summaries.list(inbox)) : [];
  if (summary === undefined) return { reply, rawBytes: raw.length, answers: [], message: null, maxLoopMs: watch.maxMs() };
  const base = `${INBOX_ROUTES(inbox)}/messages/${summary.id}`;
  const first = await watch.measure(() => Promise.all([get(server, `${INBOX_ROUTES(inbox)}/messages`), get(server, base)]));
  const full = first[1];
  const message = full.status === 200 ? JSON.parse(full.body.toString('utf8')) as ApiMessage : null;
  const count = message?.attachments.length ?? 0;
  const indexes = [...new Set([...Array.from({ length: Math.min(count, ATTACHMENTS_READ) }, (_, i) => i), count - 1, count])].filter((i) => i >= 0);
  const rest = await watch.measure(async () => {
    const answers: RouteAnswer[] = [];
    for (const suffix of ['/html', '/text', '/raw', ...indexes.map((i) => `/attachments/${i}`)]) answers.push(await get(server, base + suffix));
    return answers;
  });
  return { reply, rawBytes: raw.length, answers: [...first, ...rest], message, maxLoopMs: watch.maxMs() };
}

/** Everything wrong with the answers for a stored message; [] when all is well. */
export function routeProblems(result: Exchange, raw: Buffer): string[] {
  const problems: string[] = [];
  const INERT = "default-src 'none'; sandbox; frame-ancestors 'none'";
  for (const answer of result.answers) {
    const route = answer.path.replace(/^.*\/messages\/[^/]+/, '') || '(full)';
    if (answer.status >= 500) problems.push(`${route}: ${answer.status}`);
    if (answer.status !== 200) continue;
    const csp = answer.headers.get('content-security-policy');
    if (route === '/html') {
      if (csp !== safeHtmlCsp({ allowRemote: false })) problems.push(`/html: CSP ${csp}`);
      problems.push(...inertProblems(answer.body.toString('utf8')).map((problem) => `/html: ${problem}`));
    } else if (route === '/text' || route === '/raw' || route.startsWith('/attachments/')) {
      if (csp !== INERT) problems.push(`${route}: CSP ${csp}`);
    }
    if (route.startsWith('/attachments/')) problems.push(...dispositionProblems(route, answer.headers.get('content-disposition') ?? ''));
    if (route === '/raw' && !answer.body.equals(withFinalCrlf(raw))) problems.push('/raw: not the bytes sent');
  }
  const full = result.answers.find((answer) => !/\/messages\/[^/]+\//.test(answer.path) && /\/messages\/[^/]+$/.test(answer.path));
  if (full?.status !== 200) problems.push(`(full): ${full?.status}`);
  const html = result.answers.find((answer) => answer.path.endsWith('/html'));
  if (html !== undefined && html.status !== (result.message?.htmlUrl ? 200 : 404)) problems.push(`/html: ${html.status} with htmlUrl ${result.message?.htmlUrl}`);
  for (const link of result.message?.links ?? []) if (!/^https?:\/\//i.test(link.url)) problems.push(`link ${link.url}`);
  return problems;
}

// What a downloaded file's name must never hold: path separators, controls, bidi overrides that reverse "gpj.exe".
const UNSAFE_NAME = /[/\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]|^\./;

/** A download, with a printable ASCII name and a UTF-8 name, neither of which can reach outside the download folder. */
function dispositionProblems(route: string, disposition: string): string[] {
  const match = /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''([\x21-\x7e]*)$/.exec(disposition);
  if (match === null) return [`${route}: disposition ${disposition}`];
  const names = [match[1] ?? '', decodeURIComponent(match[2] ?? '')];
  return names.filter((name) => name === '' || UNSAFE_NAME.test(name)).map((name) => `${route}: file name ${JSON.stringify(name)}`);
}

/** SMTP stores the body with a final CRLF, added when the client's last line lacked one. */
function withFinalCrlf(raw: Buffer): Buffer {
  return raw.subarray(-2).toString('latin1') === '\r\n' ? raw : Buffer.concat([raw, Buffer.from('\r\n')]);
}

/** The largest body served for the message, against its raw size: how far decoding blew it up. */
export function expansionOf(result: Exchange): number {
  const largest = Math.max(0, ...result.answers.filter((answer) => !answer.path.endsWith('/raw')).map((answer) => answer.body.length));
  return result.rawBytes === 0 ? 0 : largest / result.rawBytes;
}

let sequence = 0;

/** A real client's ordinary message, sent and read back: the proof the server still serves everyone else. */
export async function wellBehaved(server: TestServer): Promise<boolean> {
  const to = `bystander-${sequence++}@ephemail.test`;
  const text = `ordinary message ${sequence}`;
  await mailer(server.smtpPort).sendMail({ from: 'friend@example.com', to, subject: 'hello', text });
  const [summary] = await server.summaries.list(to);
  if (summary === undefined) return false;
  const response = await fetch(`${server.httpUrl}${INBOX_ROUTES(to)}/messages/${summary.id}`);
  return response.status === 200 && ((await response.json()) as ApiMessage).text.trim() === text;
}

/** A unique inbox per case, so one case's mail never answers another's reads. */
export function inboxFor(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'case'}-${sequence++}@ephemail.test`;
}
