/**
 * The text of one inline text part for the lean digest, decoded by the very
 * streams mailparser pipes it through (mailsplit's transfer decoder, its
 * format=flowed decoder, libmime's charset decoder, then CRLF to LF), but
 * only as far as the digest reads.
 */
import type { Transform } from 'node:stream';
import type { MimeNode } from '@zone-eu/mailsplit';
import FlowedDecoder from '@zone-eu/mailsplit/lib/flowed-decoder.js';
import libmime from 'libmime';

// A part is decoded from its first 64 KiB (or as much as is asked for, if
// more), then from four times as much each time until enough text is
// certain: ordinary parts are decoded whole at once, and whatever a hostile
// one holds (3 MB of soft line breaks that decode to nothing) the work stays
// linear, at most about 2.3 times decoding the whole part once.
const FIRST_WINDOW = 64 * 1024;
// Text decoded from a window may end differently from the whole part's text
// at the cut: a character split there, or a CR whose LF is cut off. Far
// fewer than this many characters are ever affected.
const CUT_MARGIN = 16;
// libmime guesses the byte order of UTF-16 and UTF-32 from their first 200
// and 400 bytes; text from a window is only trusted when it is longer than
// that much of either could give, so the guess is the whole part's guess.
const MIN_TRUSTED_TEXT = 256;
// Charset names mailparser leaves to Buffer#toString, without a decoder.
const UTF8_NAMES = new Set(['ascii', 'usascii', 'utf8']);
const LF = 0x0a;

/** What a part's text is decoded from: its mailsplit node and its body as mailsplit emitted it. */
export interface TextSource {
  node: MimeNode;
  body: Buffer[];
}

/**
 * The text of a part as mailparser's textContent: whole, or a start of it at
 * least `need` characters long that is exactly what the whole text starts
 * with. Rejects when a decoder fails, as the full parse then fails.
 */
export async function partText({ node, body }: TextSource, need: number): Promise<string> {
  const whole = body.length === 1 ? (body[0] as Buffer) : Buffer.concat(body);
  for (let window = Math.max(FIRST_WINDOW, need); ;) {
    // Cut after a line ending, where a quoted-printable escape or a soft line break never spans the cut.
    const cut = window >= whole.length ? -1 : whole.indexOf(LF, window);
    if (cut < 0) return decode(node, body);
    const text = certainStart(await decode(node, [whole.subarray(0, cut + 1)]), node.flowed);
    if (text.length >= Math.max(need, MIN_TRUSTED_TEXT)) return text;
    window = (cut + 1) * 4;
  }
}

// Of text decoded from a window, the part the rest of the body cannot
// change. In flowed text the cut may also fall inside a paragraph that the
// next line continues, or inside the quote marks that decide whether it
// does: the last two lines may change, and everything before them is settled.
function certainStart(text: string, flowed: boolean): string {
  const settled = flowed ? text.slice(0, text.lastIndexOf('\n', text.lastIndexOf('\n') - 1) + 1) : text;
  return settled.slice(0, Math.max(0, settled.length - CUT_MARGIN));
}

// mailparser's pipeline for an inline text node, fed the given body chunks.
function decode(node: MimeNode, chunks: readonly Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const streams: Transform[] = [node.getDecoder()];
    // mailsplit's typings list only the decoder's 'data' event; it is a Transform like any other.
    if (node.flowed) streams.push(new FlowedDecoder({ delSp: node.delSp }) as unknown as Transform);
    const charset = node.charset || 'utf-8';
    if (!UTF8_NAMES.has(charset.toLowerCase().replace(/[^a-z0-9]+/g, ''))) {
      try {
        streams.push(libmime.createDecodeStream(charset));
      } catch {
        // As in mailparser: a charset no decoder can be made for is left as it is.
      }
    }
    const first = streams[0] as Transform;
    const last = streams.reduce((from, to) => from.pipe(to));
    const output: Buffer[] = [];
    for (const stream of streams) stream.on('error', reject);
    last.on('data', (chunk: Buffer | string) => output.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    last.on('end', () => resolve(Buffer.concat(output).toString().replace(/\r?\n/g, '\n')));
    for (const chunk of chunks) first.write(chunk);
    first.end();
  });
}
