/**
 * The MIME structure of a raw message for the intake digest: the nodes
 * mailsplit (mailparser's splitter) would report, split at the same
 * delimiter lines under the same limits, each with where its body lies in
 * the raw bytes. Nothing is copied or decoded here; one pass over the lines.
 */
import { describeNode, splitFields, type HeaderField, type NodeHeaders } from './quick-digest-fields.js';

// mailsplit's limits; crossing either makes mailparser reject the message.
const MAX_NODES = 1000;
const MAX_HEADER_COST = 1024 * 1024;
// Each header line counts at least this much against MAX_HEADER_COST.
const HEADER_LINE_MIN_COST = 64;
// A delimiter line is "--", the boundary, maybe "--", up to 998 blanks and a line ending.
const DELIMITER_OVERHEAD = 2 + 2 + 998 + 2;

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

/** One node as mailsplit reports it, once its header block has been read. */
export interface MimeNode extends NodeHeaders {
  /** The node it is a part of: a multipart, or the message/rfc822 node it is embedded in. */
  parent: MimeNode | null;
  /** Its own parts, in order. */
  children: MimeNode[];
  fields: HeaderField[];
  /** The nearest node up the tree whose delimiter lines also end this one. */
  owner: MimeNode | null;
  /** An inline message/rfc822 whose content was split as a message of its own (its only child). */
  messageNode: boolean;
  /** Where its content lies in the raw message; equal when it has none. */
  bodyStart: number;
  bodyEnd: number;
}

/** The nodes in the order mailparser receives them (the root first), or why mailparser would reject the message. */
export type MimeSplit = { ok: true; root: MimeNode; nodes: MimeNode[] } | { ok: false; reason: string };

// A node whose header block is still being read.
interface Draft {
  parent: MimeNode | null;
  owner: MimeNode | null;
  headerStart: number;
  headerCost: number;
}

/**
 * The owner chain of where the splitter stands (the owner, its owner, and
 * so on), indexed by boundary: a line is looked up by its text rather than
 * compared with every owner, which keeps a message nested 1,000 deep linear.
 */
class OwnerChain {
  private readonly nodes: MimeNode[] = [];
  private readonly positions = new Map<MimeNode, number>();
  private readonly byBoundary = new Map<string, number[]>();

  /** Makes this the chain of `owner`, reusing what the two chains share. */
  moveTo(owner: MimeNode | null): void {
    const missing: MimeNode[] = [];
    let node = owner;
    for (; node !== null && !this.positions.has(node); node = node.owner) missing.push(node);
    const keep = node === null ? 0 : (this.positions.get(node) ?? -1) + 1;
    while (this.nodes.length > keep) this.pop();
    for (const added of missing.reverse()) this.push(added);
  }

  /** The nearest owner delimited by `boundary`, and how far up it is (larger is nearer); -1 when none. */
  nearest(boundary: string): number {
    return this.byBoundary.get(boundary)?.at(-1) ?? -1;
  }

  /** The owner at a position `nearest` gave. */
  at(position: number): MimeNode | null {
    return this.nodes[position] ?? null;
  }

  private push(node: MimeNode): void {
    this.positions.set(node, this.nodes.length);
    if (node.boundary !== null) {
      const key = node.boundary.toString('latin1');
      const positions = this.byBoundary.get(key) ?? [];
      positions.push(this.nodes.length);
      this.byBoundary.set(key, positions);
    }
    this.nodes.push(node);
  }

  private pop(): void {
    const node = this.nodes.pop();
    if (node === undefined) return;
    this.positions.delete(node);
    const key = node.boundary?.toString('latin1');
    const positions = key === undefined ? undefined : this.byBoundary.get(key);
    positions?.pop();
    if (key !== undefined && positions?.length === 0) this.byBoundary.delete(key);
  }
}

// Where the splitter stands between two lines.
interface Position {
  /** The node being started, while its header block is read. */
  draft: Draft | null;
  /** The node the lines belong to once its header block is read. */
  current: MimeNode | null;
  /** The current node's closing delimiter was seen: its own delimiters no longer count. */
  inEpilogue: boolean;
  /** The node whose content the lines are, only until the next delimiter line. */
  reading: MimeNode | null;
  /** The owners of the draft, or of the current node. */
  owners: OwnerChain;
  created: number;
}

/** Splits a raw message into its MIME nodes without decoding anything. */
export function splitMime(raw: Buffer): MimeSplit {
  const nodes: MimeNode[] = [];
  const at: Position = {
    draft: { parent: null, owner: null, headerStart: 0, headerCost: 0 }, current: null, inEpilogue: false, reading: null, owners: new OwnerChain(), created: 1,
  };
  const emit = (draft: Draft, headerEnd: number): MimeNode => {
    const fields = splitFields(raw.toString('latin1', draft.headerStart, headerEnd));
    const node: MimeNode = {
      ...describeNode(fields), parent: draft.parent, children: [], fields, owner: draft.owner, messageNode: false, bodyStart: headerEnd, bodyEnd: headerEnd,
    };
    draft.parent?.children.push(node);
    nodes.push(node);
    return node;
  };
  const startPart = (parent: MimeNode, owner: MimeNode | null, headerStart: number): void => {
    at.created += 1;
    at.draft = { parent, owner, headerStart, headerCost: 0 };
    at.current = null;
    at.inEpilogue = false;
    at.owners.moveTo(owner);
  };

  const lastLine = raw.lastIndexOf(LF) + 1;
  for (let start = 0; ;) {
    // Past a header block only delimiter lines change anything; content is skipped natively.
    if (at.draft === null) start = nextDashedLine(raw, start, lastLine);
    const newline = raw.indexOf(LF, start);
    const final = newline < 0;
    const end = final ? raw.length : newline + 1;
    // mailsplit counts nodes before each line (the empty one after a final line break included).
    if (at.created > MAX_NODES) return { ok: false, reason: 'Max allowed child nodes exceeded' };
    // mailsplit holds back the line ending that closes a part's content until
    // it knows whether a delimiter follows, so the last, unterminated line is
    // tested with that line ending in front of it.
    const tested = final && at.reading !== null ? contentEnd(raw, at.reading, start) : start;
    const delimiter = findDelimiter(raw, tested, end, at);
    const draft = at.draft;
    if (delimiter !== null) {
      if (at.reading !== null) at.reading.bodyEnd = contentEnd(raw, at.reading, start);
      at.reading = null;
      if (!delimiter.closes) {
        startPart(delimiter.owner, delimiter.owner, end);
      } else if (delimiter.owner !== at.current) {
        // An ancestor's closing delimiter also ends a part whose header block never did.
        if (draft !== null && start > draft.headerStart) emit(draft, start);
        at.draft = null;
        at.current = delimiter.owner;
        at.inEpilogue = true;
        at.owners.moveTo(delimiter.owner.owner);
      }
    } else if (draft !== null) {
      const length = end - start;
      const blank = (length === 1 && raw[start] === LF) || (length === 2 && raw[start] === CR && raw[start + 1] === LF);
      draft.headerCost += blank ? length : Math.max(length, HEADER_LINE_MIN_COST);
      if (draft.headerCost > MAX_HEADER_COST) return { ok: false, reason: 'Max header size for a MIME node exceeded' };
      if (blank || final) {
        const node = emit(draft, end);
        at.draft = null;
        at.current = node;
        if (isEmbeddedMessage(node)) {
          // The message's own header block follows; its parts still end at delimiters of the container's parent.
          node.messageNode = true;
          startPart(node, node.parent ?? node, end);
        } else if (!node.multipart) {
          at.reading = node;
        }
      }
    }
    if (final) break;
    start = end;
  }
  if (at.reading !== null) at.reading.bodyEnd = raw.length;
  // The root's header block ends at the latest with the input, so it is always there.
  return { ok: true, root: nodes[0] as MimeNode, nodes };
}

// The start of the first line from `from` (a line start) that begins with
// "--" or CR "--", as every delimiter line does; `lastLine`, the start of the
// unterminated last line, if none does before it.
function nextDashedLine(raw: Buffer, from: number, lastLine: number): number {
  for (let line = from; line < lastLine;) {
    const dashes = raw.indexOf('--', line);
    if (dashes < 0 || dashes >= lastLine) break;
    if (dashes === line || raw[dashes - 1] === LF) return dashes;
    if (raw[dashes - 1] === CR && (dashes - 1 === line || raw[dashes - 2] === LF)) return dashes - 1;
    // Not at a line start: go on from the next line, whatever else this one holds.
    line = raw.indexOf(LF, dashes) + 1;
  }
  return Math.max(from, lastLine);
}

// mailsplit splits an inline message/rfc822 that is not transfer-encoded as a message of its own.
function isEmbeddedMessage(node: MimeNode): boolean {
  return node.contentType === 'message/rfc822' && ['', '7bit', '8bit', 'binary'].includes(node.encoding) && node.disposition === 'inline';
}

// A part's content ends before the line ending that precedes a delimiter line
// (the root's content has no delimiter after it and keeps its line ending).
function contentEnd(raw: Buffer, node: MimeNode, lineStart: number): number {
  let end = lineStart;
  if (node.parent === null || end <= node.bodyStart || raw[end - 1] !== LF) return end;
  end -= 1;
  if (end > node.bodyStart && raw[end - 1] === CR) end -= 1;
  return end;
}

interface Delimiter {
  /** The node whose boundary the line carries. */
  owner: MimeNode;
  /** "--boundary--": the owner's last part has ended. */
  closes: boolean;
}

/**
 * Whether the line [start, end) delimits parts: of the current node itself
 * (unless its parts have ended), or of the nearest owner up the chain whose
 * boundary it carries. A delimiter line may follow a stray CR or LF.
 */
function findDelimiter(raw: Buffer, start: number, end: number, at: Position): Delimiter | null {
  let from = start;
  if (raw[from] === CR || raw[from] === LF) from += raw[start] === CR && raw[start + 1] === LF && end - start >= 2 ? 2 : 1;
  if (end - start < 4 || raw[from] !== DASH || raw[from + 1] !== DASH) return null;
  const current = at.draft === null ? at.current : null;
  if (current !== null && !at.inEpilogue && current.boundary !== null) {
    const kind = delimiterKind(raw, start, from, end, current.boundary);
    if (kind !== null) return { owner: current, closes: kind === 'close' };
  }
  // The boundary is what is left once the line ending, trailing blanks and
  // maybe a closing "--" are taken off; each candidate is then checked whole.
  let stop = end;
  if (raw[stop - 1] === LF) stop -= 1;
  while (stop > from + 2 && raw[stop - 1] === CR) stop -= 1;
  while (stop > from + 2 && (raw[stop - 1] === 0x20 || raw[stop - 1] === 0x09)) stop -= 1;
  const text = raw.toString('latin1', from + 2, stop);
  let found: Delimiter | null = null;
  let nearest = -1;
  for (const candidate of text.endsWith('--') ? [text, text.slice(0, -2)] : [text]) {
    const position = at.owners.nearest(candidate);
    const owner = position > nearest ? at.owners.at(position) : null;
    const kind = owner?.boundary ? delimiterKind(raw, start, from, end, owner.boundary) : null;
    if (owner !== null && kind !== null) {
      found = { owner, closes: kind === 'close' };
      nearest = position;
    }
  }
  return found;
}

// "--boundary" or "--boundary--", then blanks and one line ending (a run of
// CRs allowed before the LF), or the end of input after a closing delimiter.
function delimiterKind(raw: Buffer, start: number, from: number, end: number, boundary: Buffer): 'part' | 'close' | null {
  const skipped = from - start;
  if (end - start < boundary.length + 3 + skipped || end - start > boundary.length + DELIMITER_OVERHEAD + skipped) return null;
  if (raw.compare(boundary, 0, boundary.length, from + 2, from + 2 + boundary.length) !== 0) return null;
  let at = from + 2 + boundary.length;
  let kind: 'part' | 'close' = 'part';
  if (raw[at] === DASH) {
    if (at + 1 >= end || raw[at + 1] !== DASH) return null;
    kind = 'close';
    at += 2;
  }
  while (at < end && (raw[at] === 0x20 || raw[at] === 0x09)) at += 1;
  if (at === end) return kind === 'close' ? kind : null;
  while (at < end && raw[at] === CR) at += 1;
  if (at < end && raw[at] === LF) at += 1;
  return at === end ? kind : null;
}
