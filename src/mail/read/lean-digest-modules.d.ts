/**
 * The functions the lean digest (lean-digest-*.ts) calls of two of mailparser's own parts
 * that ship no types: html-to-text (its HTML-to-text converter) and he (the
 * HTML escaper of its embedded-message header block).
 */
declare module 'html-to-text' {
  /** Options of the converter; only the limits are set, as mailparser sets them. */
  export interface HtmlToTextOptions {
    limits?: { maxDepth?: number };
  }
  /** Builds a converter once, so each conversion skips compiling the options again. */
  export function compile(options?: HtmlToTextOptions): (html: string) => string;
}

declare module 'he' {
  /** Escapes markup characters and everything outside printable ASCII as character references. */
  export function encode(text: string): string;
  const he: { encode: typeof encode };
  export default he;
}
