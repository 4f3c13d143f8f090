/**
 * mailauth verifies every DKIM-Signature header: for each, a key lookup, an
 * RSA check, and a pass over the body for each distinct canonicalisation,
 * algorithm and length. A sender may write thousands, each costing the
 * report's shared DNS budget and a verdict in its JSON. Receivers check a
 * few at most, and so does the report.
 */

/** Signatures a report verifies; those after them are counted, not checked. */
export const MAX_SIGNATURES = 10;

/** The message as the report verifies it, and what it held. */
export interface CappedSignatures {
  /** The raw message, or a copy without the DKIM-Signature headers past the first MAX_SIGNATURES. */
  raw: Buffer;
  /** DKIM-Signature headers kept (at most MAX_SIGNATURES). */
  kept: number;
  /** DKIM-Signature headers left out. */
  dropped: number;
}

const SIGNATURE_FIELD = /^dkim-signature[ \t]*:/i;

/** Keeps the first MAX_SIGNATURES DKIM-Signature headers of `raw`; the message is copied only when it has more. */
export function capSignatures(raw: Buffer): CappedSignatures {
  const headerEnd = headerSectionEnd(raw);
  // latin1 maps each byte to one character and back, so the bytes signed stay the bytes verified.
  const fields = splitFields(raw.toString('latin1', 0, headerEnd));
  const signatures = fields.filter((field) => SIGNATURE_FIELD.test(field)).length;
  if (signatures <= MAX_SIGNATURES) return { raw, kept: signatures, dropped: 0 };
  let seen = 0;
  const kept = fields.filter((field) => !SIGNATURE_FIELD.test(field) || ++seen <= MAX_SIGNATURES);
  const header = Buffer.from(kept.join(''), 'latin1');
  return { raw: Buffer.concat([header, raw.subarray(headerEnd)]), kept: MAX_SIGNATURES, dropped: signatures - MAX_SIGNATURES };
}

/** Where the header section ends: at the empty line, which stays with the body; the whole message when there is none. */
function headerSectionEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return raw.length;
  if (crlf < 0) return lf + 1;
  if (lf < 0) return crlf + 2;
  return Math.min(crlf + 2, lf + 1);
}

/** Header fields with their folded lines and line ends, so joining them gives the section back. */
function splitFields(section: string): string[] {
  const fields: string[] = [];
  for (const line of section.split(/(?<=\n)/)) {
    const last = fields.length - 1;
    if (last >= 0 && (line.startsWith(' ') || line.startsWith('\t'))) fields[last] += line;
    else fields.push(line);
  }
  return fields;
}
