/**
 * A message's digest without the full parse. mailparser decodes every part
 * (a 146 KB PDF is base64-decoded in JavaScript and copied into the result)
 * and builds link lists, all of which a digest throws away. Here mailparser's
 * own splitter (mailsplit) splits the message, the parts are placed,
 * classified and joined by mailparser's rules, attachments are counted from
 * their headers and never decoded, and only the text parts that the preview
 * and the code finder read are decoded, by mailparser's own decoders, as far
 * as those read (see lean-digest-text.ts).
 *
 * Like the full parse, it reads the message's reading copy
 * (reading-copy.ts). The result is digestMessage(await parseMessage(raw)), as
 * test/mail/lean-digest.test.ts checks for ordinary and hostile mail, except
 * for an inline message/rfc822 whose header block runs to the end of the
 * input: mailparser never settles on it (the pool times it out), and it gets
 * its digest here.
 */
import type { Transform } from 'node:stream';
import { Splitter, type MimeNode, type SplitterChunk } from '@zone-eu/mailsplit';
import { parseAddressHeader } from 'mailparser';
import { HTML_CONVERTED_CHARACTERS, htmlAsText } from '../parse/html-as-text.js';
import { failedMessage, mailboxes } from '../parse/parse.js';
import { readingCopy } from '../parse/reading-copy.js';
import { DIGEST_HTML_CHARACTERS, DIGEST_TEXT_CHARACTERS, digestContent, digestMessage, type MessageDigest } from './digest.js';
import { firstSubject, headerBlock, headerValues } from './lean-digest-headers.js';
import { partText } from './lean-digest-text.js';

// mailparser joins the HTML of several parts with this (and text with "\n").
const HTML_SEPARATOR = '<br/>\n';
// What mailparser shows as text (its textTypes); anything else is an attachment.
const TEXT_TYPES: ReadonlySet<string> = new Set(['text/plain', 'text/html', 'message/delivery-status']);

type Role = 'text' | 'html' | 'attachment' | 'none';

/** A node as mailparser's tree holds it (createNode). */
interface Part {
  node: MimeNode;
  parent: Part | null;
  children: Part[];
  /** The node's type; a root without one is text/plain. */
  contentType: string | false;
  role: Role;
  /** The first node of an embedded message: its text starts with a block of its headers. */
  showMeta: boolean;
  /** Body chunks as mailsplit emitted them; only kept for text and HTML. */
  body: Buffer[];
  /** mailparser ends a node's decoder at the next delimiter or at the end; only then has the node text. */
  ended: boolean;
}

/**
 * The digest of a raw message, as digestMessage(await parseMessage(raw))
 * gives it, without decoding attachments. Never rejects; linear in the size
 * of the message.
 */
export async function leanDigest(raw: Buffer): Promise<MessageDigest> {
  try {
    const { root, parts } = await split(readingCopy(raw).bytes);
    const values = (key: string): string[] => headerValues(root.node, key);
    return digestContent({
      subject: firstSubject(values('subject')),
      from: mailboxes(parseAddressHeader(values('from')[0] ?? ''))[0] ?? null,
      to: mailboxes(parseAddressHeader(values('to'))),
      ...(await readBodies(root, parts)),
      attachmentCount: parts.filter((part) => part.role === 'attachment').length,
      failed: false,
    });
  } catch (error) {
    // mailsplit refused the message (too many parts, a header block over
    // 1 MiB) or a decoder failed: the full parse fails then too.
    return digestMessage(failedMessage(raw, error));
  }
}

// mailsplit's events handled as mailparser handles them (processChunk): the
// node placed in the tree, body chunks to the latest node until a delimiter
// line ('data') or the end of input ends it.
function split(raw: Buffer): Promise<{ root: Part; parts: Part[] }> {
  return new Promise((resolve, reject) => {
    // mailsplit's typings list only its 'data' event; it is a Transform like any other.
    const splitter = new Splitter() as unknown as Transform;
    const parts: Part[] = [];
    let current: Part | null = null;
    splitter.on('data', (chunk: SplitterChunk) => {
      if (chunk.type === 'node') {
        current = place(parts[0] ?? null, current, describe(chunk));
        parts.push(current);
      } else if (chunk.type === 'data') {
        if (current !== null) current.ended = true;
      } else if (current !== null && !current.ended && (current.role === 'text' || current.role === 'html')) {
        current.body.push(chunk.value);
      }
    });
    splitter.on('end', () => {
      if (current !== null) current.ended = true;
      // mailsplit reports the root at the latest when the input ends.
      const root = parts[0];
      if (root === undefined) reject(new Error('No MIME node'));
      else resolve({ root, parts });
    });
    splitter.on('error', reject);
    // As mailparser: the whole input in one write, and none when it is empty.
    if (raw.length > 0) splitter.write(raw);
    splitter.end();
  });
}

// mailparser's createNode and the checks processChunk makes before it reads a node.
function describe(node: MimeNode): Part {
  const contentType = node.contentType || (node.root ? 'text/plain' : false);
  const part: Part = { node, parent: null, children: [], contentType, role: 'none', showMeta: false, body: [], ended: false };
  // An embedded message mailsplit splits as a message of its own: its parts follow.
  if (node.contentType === 'message/rfc822' && node.messageNode) return part;
  part.showMeta = node.parentNode !== false && node.parentNode.contentType === 'message/rfc822';
  if (/^multipart\//i.test(String(contentType))) return part;
  const textType = contentType !== false && TEXT_TYPES.has(contentType);
  const given = node.disposition && !['attachment', 'inline'].includes(node.disposition) ? 'attachment' : node.disposition;
  const disposition = !given && !textType ? 'attachment' : given || 'inline';
  if (!textType || disposition !== 'inline') part.role = 'attachment';
  else part.role = contentType === 'text/html' ? 'html' : 'text';
  return part;
}

// Where mailparser's createNode puts a node, step by step as it does: a node
// whose parent it cannot find is left out of the tree (it still counts).
function place(tree: Part | null, current: Part | null, part: Part): Part {
  if (tree === null || current === null) return part;
  const parentNode = part.node.parentNode;
  let parent: Part | null = current.parent === null ? current
    : current.parent.node === parentNode ? current.parent
      : current.node === parentNode ? current : null;
  for (let up = current.parent; parent === null && up !== null; up = up.parent) {
    if (up.node === parentNode) parent = up;
  }
  part.parent = parent;
  parent?.children.push(part);
  return part;
}

/** Pieces joined as mailparser joins them, collected only until the digest has read enough. */
class Collector {
  private readonly parts: string[] = [];
  private length = 0;

  constructor(private readonly separator: string, private readonly limit: number) {}

  /** Characters still needed. */
  get need(): number {
    return Math.max(0, this.limit - this.length);
  }

  add(part: string): void {
    if (this.need === 0) return;
    this.length += (this.parts.length > 0 ? this.separator.length : 0) + part.length;
    this.parts.push(part);
  }

  joined(): string | null {
    return this.parts.length === 0 ? null : this.parts.join(this.separator).slice(0, this.limit);
  }
}

// mailparser's getTextContent: text parts in tree order joined by newlines,
// HTML parts by "<br/>\n"; HTML outside an alternative beside text (or an
// HTML-only message) adds an empty piece to the text, as intake's parser
// options have it (skipHtmlToText), and text beside HTML adds an empty piece
// to the HTML (its rendering, which they also switch off). An embedded
// message starts with a block of its headers. A text of one empty piece is
// then derived from the HTML's start, as the full parse derives it.
async function readBodies(root: Part, parts: readonly Part[]): Promise<{ text: string; html: string | null }> {
  const hasText = parts.some((part) => part.role === 'text');
  const hasHtml = parts.some((part) => part.role === 'html');
  const text = new Collector('\n', DIGEST_TEXT_CHARACTERS);
  const html = new Collector(HTML_SEPARATOR, DIGEST_HTML_CHARACTERS);
  const htmlParts: Part[] = [];
  const visit = async (part: Part, inAlternative: boolean): Promise<void> => {
    if (text.need === 0 && html.need === 0) return;
    if (part.showMeta) {
      const block = headerBlock(part.node);
      if (hasHtml) html.add(block.html);
      if (hasText) text.add(block.text);
    }
    if (part.ended && part.role === 'text') {
      // Even when the text has enough, whether this part is empty decides an (empty) piece of HTML.
      const content = await partText(part, Math.max(text.need, 1));
      if (content !== '') {
        text.add(content);
        if (!inAlternative && hasHtml) html.add('');
      }
    } else if (part.ended && part.role === 'html') {
      // Even when the HTML has enough, whether this part is empty decides an (empty) piece of text.
      const content = await partText(part, Math.max(html.need, 1));
      if (content !== '') {
        if ((!inAlternative && hasText) || (part === root && !hasText)) text.add('');
        html.add(content);
        htmlParts.push(part);
      }
    }
    const alternative = inAlternative || part.contentType === 'multipart/alternative';
    for (const child of part.children) await visit(child, alternative);
  };
  await visit(root, false);
  const joined = text.joined();
  return { text: joined === '' ? await textOfHtmlStart(htmlParts) : joined ?? '', html: html.joined() };
}

// The full parse's text when the whole text is one empty piece (parse.ts):
// that of the start of the message's HTML. That HTML is its HTML parts'
// alone: the empty piece came from an HTML part, either the root (then the
// only part) or one beside text parts, where a text part with text or an
// embedded message's header block would have added a second piece of text.
async function textOfHtmlStart(htmlParts: readonly Part[]): Promise<string> {
  const start = new Collector(HTML_SEPARATOR, HTML_CONVERTED_CHARACTERS);
  for (const part of htmlParts) {
    if (start.need > 0) start.add(await partText(part, start.need));
  }
  return htmlAsText(start.joined() ?? '').text;
}
