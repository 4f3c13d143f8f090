/**
 * The function the lean digest (lean-digest-headers.ts) calls of he, the
 * HTML escaper of mailparser's embedded-message header block, which ships
 * no types.
 */
declare module 'he' {
  /** Escapes markup characters and everything outside printable ASCII as character references. */
  export function encode(text: string): string;
  const he: { encode: typeof encode };
  export default he;
}
