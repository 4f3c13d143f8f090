// Control characters, and bidirectional overrides that make "gpj.exe" read as "exe.jpg".
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A `Content-Disposition: attachment` value for a name taken from a message.
 * The name is only ever data: path parts are dropped, unsafe characters
 * removed, and it is sent both as an ASCII fallback and RFC 5987 UTF-8.
 */
export function attachmentDisposition(untrustedName: string | null, fallback: string): string {
  const base = (untrustedName ?? '').replace(UNSAFE_CHARACTERS, '').split(/[/\\]/).pop() ?? '';
  // Cut by code point, and drop lone surrogates: encodeURIComponent throws on half a pair.
  const whole = base.replace(LONE_SURROGATE, '').replace(/^[.\s]+/, '').trim();
  const name = [...whole].slice(0, 200).join('') || fallback;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A media type safe to repeat in a header, or application/octet-stream. */
export function safeContentType(declared: string): string {
  const type = declared.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) ? type : 'application/octet-stream';
}
