/**
 * The digest the store keeps, read without a full parse. mailparser decodes
 * every part (a 146 KB PDF is base64-decoded line by line in JavaScript),
 * builds link lists and HTML renderings, all of which a digest throws away:
 * here the MIME structure is walked from the raw bytes, attachments are
 * counted from their headers and never decoded, and only the text parts that
 * the preview and the code finder read are decoded, up to what they read.
 *
 * The result is what digestMessage(await parseMessage(raw)) gives: node for
 * node the same split, classification and decoding as mailparser (see
 * test/mail/quick-digest.test.ts), with these known differences, all outside
 * ordinary mail:
 * - charsets outside the WHATWG list, and bytes a multi-byte charset leaves
 *   undefined (see quick-digest-charset.ts);
 * - text past the first 1 MiB of one encoded part (see quick-digest-body.ts);
 * - an inline message/rfc822 part whose header block runs to the end of the
 *   input, on which mailparser never settles (the pool would time it out).
 */
import { parseAddressHeader } from 'mailparser';
import type { MessageDigest } from '../store/message.js';
import { digestContent, digestMessage } from './read/digest.js';
import { failedMessage, mailboxes } from './parse/parse.js';
import { partText } from './quick-digest-body.js';
import { fieldValues } from './quick-digest-fields.js';
import { htmlAsText } from './quick-digest-html.js';
import { embeddedHeaderBlock } from './quick-digest-meta.js';
import { splitMime, type MimeNode } from './quick-digest-mime.js';
import { decodeWords } from './quick-digest-words.js';

// Past these nothing is decoded. findCodes reads no more of a body than its
// first 100,000 characters (TEXT_SCAN_LIMIT in codes.ts) and the preview far
// less; htmlToText reads the first 256 KiB of HTML (HTML_SCAN_LIMIT in
// html-text.ts). The equivalence tests fail if either reads further.
const TEXT_CHARACTERS = 100_000;
const HTML_CHARACTERS = 256 * 1024;

// The types mailparser shows as text; anything else is an attachment.
const TEXT_TYPES: ReadonlySet<string> = new Set(['text/plain', 'text/html', 'message/delivery-status']);

type Role = 'text' | 'html' | 'attachment' | 'none';

/**
 * The digest of a raw message, as digestMessage(await parseMessage(raw))
 * gives it, without decoding attachments. Never throws; linear in the size
 * of the message.
 */
export function quickDigest(raw: Buffer): MessageDigest {
  const split = splitMime(raw);
  if (!split.ok) return digestMessage(failedMessage(raw, new Error(split.reason)));
  const { root, nodes } = split;
  const roles = new Map(nodes.map((node) => [node, roleOf(node)]));
  const values = (key: string): string[] => fieldValues(root.fields, key);
  return digestContent({
    subject: values('subject').map(decodeWords).find((subject) => subject !== '') ?? '',
    from: mailboxes(parseAddressHeader(values('from')[0] ?? ''))[0] ?? null,
    to: mailboxes(parseAddressHeader(values('to'))),
    ...readBodies(raw, root, roles),
    attachmentCount: [...roles.values()].filter((role) => role === 'attachment').length,
    failed: false,
  });
}

// mailparser's classification: a node is text when its type is a text type
// and its disposition inline (which is the default for text types only).
function roleOf(node: MimeNode): Role {
  const contentType = node.contentType || (node.parent === null ? 'text/plain' : false);
  if (contentType !== false && /^multipart\//.test(contentType)) return 'none';
  if (node.messageNode) return 'none';
  const textType = contentType !== false && TEXT_TYPES.has(contentType);
  const disposition = node.disposition === false ? (textType ? 'inline' : 'attachment') : node.disposition;
  if (!textType || disposition !== 'inline') return 'attachment';
  return contentType === 'text/html' ? 'html' : 'text';
}

/** Pieces joined as mailparser joins them, collected only until the digest has read enough. */
class Collector {
  private readonly parts: string[] = [];
  private length = 0;

  constructor(private readonly separator: string, private readonly limit: number) {}

  get full(): boolean {
    return this.length >= this.limit;
  }

  add(part: string): void {
    if (this.full) return;
    this.length += (this.parts.length > 0 ? this.separator.length : 0) + part.length;
    this.parts.push(part);
  }

  joined(): string | null {
    return this.parts.length === 0 ? null : this.parts.join(this.separator).slice(0, this.limit);
  }
}

// mailparser's getTextContent: text parts in tree order joined by newlines,
// HTML parts by "<br/>\n"; HTML outside an alternative beside text (or an
// HTML-only message) also gives text, and text beside HTML adds an empty
// piece to the HTML (its rendering, which intake's parser options switch
// off). An embedded message starts with a block of its headers.
function readBodies(raw: Buffer, root: MimeNode, roles: ReadonlyMap<MimeNode, Role>): { text: string; html: string | null } {
  const hasText = [...roles.values()].includes('text');
  const hasHtml = [...roles.values()].includes('html');
  const text = new Collector('\n', TEXT_CHARACTERS);
  const html = new Collector('<br/>\n', HTML_CHARACTERS);
  const visit = (node: MimeNode, inAlternative: boolean): void => {
    if (text.full && html.full) return;
    // Not for a message embedded in turn: mailparser passes over its container before it looks.
    if (node.parent?.contentType === 'message/rfc822' && !node.messageNode) {
      const block = embeddedHeaderBlock(node.fields);
      if (hasHtml) html.add(block.html);
      if (hasText) text.add(block.text);
    }
    const role = roles.get(node);
    const content = role === 'text' || role === 'html' ? partText(raw, node) : '';
    if (content !== '' && role === 'text') {
      text.add(content);
      if (!inAlternative && hasHtml) html.add('');
    } else if (content !== '') {
      if ((!inAlternative && hasText) || (node === root && !hasText)) text.add(text.full ? '' : htmlAsText(content));
      html.add(content);
    }
    for (const child of node.children) visit(child, inAlternative || node.contentType === 'multipart/alternative');
  };
  visit(root, false);
  return { text: text.joined() ?? '', html: html.joined() };
}
