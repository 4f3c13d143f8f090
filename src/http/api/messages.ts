import { Hono, type Context } from 'hono';
import type { StoredMessage } from '../../store/message.js';
import type { ApiDependencies } from './dependencies.js';
import { attachmentDisposition, safeContentType } from './content-disposition.js';
import { inboxFromParam } from './inbox-param.js';
import { ApiProblem } from '../problem.js';
import { safeHtmlCsp } from '../../sanitize/csp.js';
import { messagePaths, toApiMessage } from './views.js';

// Whatever a message carries is shown as data, never run: no script, no plugins, no same origin.
// Nothing frames these (the page frames only /html), so nothing may: an HTML attachment is no clickjacking surface.
const INERT_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

/** One message: in full, as HTML, text, raw, its attachments, and deleting it. */
export function messageRoutes(deps: ApiDependencies): Hono {
  const routes = new Hono();
  const { store, reader } = deps;

  async function load(c: Context): Promise<StoredMessage> {
    const inbox = inboxFromParam(c.req.param('address') ?? '', deps.domains);
    const stored = await store.get(inbox, c.req.param('id') ?? '');
    if (stored === undefined) {
      throw new ApiProblem(404, 'Message not found', 'This inbox has no message with that id; it may have expired or been deleted.');
    }
    return stored;
  }

  routes.get('/inboxes/:address/messages/:id', async (c) => {
    const stored = await load(c);
    return c.json(toApiMessage(stored, await reader.read(stored)));
  });

  routes.get('/inboxes/:address/messages/:id/html', async (c) => {
    const stored = await load(c);
    const parsed = await reader.read(stored);
    if (parsed.html === null) {
      throw new ApiProblem(404, 'No HTML', 'This message has no HTML part; read its text instead.');
    }
    const allowRemote = c.req.query('remote') === '1';
    const paths = messagePaths(stored.head.inbox, stored.head.id);
    const contentIdUrls = parsed.attachments.flatMap((attachment, index): Array<[string, string]> =>
      attachment.contentId === null ? [] : [[attachment.contentId, paths.attachment(index)]]);
    const { document, blockedRemoteCount } = await deps.renderHtml({ html: parsed.html, allowRemote, contentIdUrls });
    return c.body(document, 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': safeHtmlCsp({ allowRemote }),
      'x-blocked-remote-content': String(blockedRemoteCount),
      'cache-control': 'private, no-store',
    });
  });

  routes.get('/inboxes/:address/messages/:id/text', async (c) => {
    const parsed = await reader.read(await load(c));
    return c.body(parsed.text, 200, { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': INERT_CSP });
  });

  routes.get('/inboxes/:address/messages/:id/raw', async (c) => {
    const stored = await load(c);
    return c.body(viewOf(stored.raw), 200, {
      'content-type': 'message/rfc822',
      'content-disposition': attachmentDisposition(`${stored.head.id}.eml`, 'message.eml'),
      'content-security-policy': INERT_CSP,
    });
  });

  routes.get('/inboxes/:address/messages/:id/attachments/:index', async (c) => {
    const parsed = await reader.read(await load(c));
    const index = Number(c.req.param('index'));
    const attachment = Number.isInteger(index) ? parsed.attachments[index] : undefined;
    if (attachment === undefined) {
      throw new ApiProblem(404, 'Attachment not found', `This message has ${parsed.attachments.length} attachment(s), numbered from 0; there is no number "${c.req.param('index')}".`);
    }
    return c.body(viewOf(attachment.content), 200, {
      'content-type': safeContentType(attachment.contentType),
      'content-disposition': attachmentDisposition(attachment.filename, `attachment-${index}`),
      'content-security-policy': INERT_CSP,
      // Not cached: a deleted or expired message must take its attachments with it.
      'cache-control': 'private, no-store',
    });
  });

  routes.delete('/inboxes/:address/messages/:id', async (c) => {
    const inbox = inboxFromParam(c.req.param('address'), deps.domains);
    if (!(await store.delete(inbox, c.req.param('id')))) {
      throw new ApiProblem(404, 'Message not found', 'This inbox has no message with that id; it may have expired or been deleted already.');
    }
    return c.body(null, 204);
  });

  return routes;
}

/** The bytes of a Buffer as a plain Uint8Array view, without copying them. */
function viewOf(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);
}
