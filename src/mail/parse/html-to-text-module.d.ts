/**
 * The function html-as-text.ts calls of html-to-text, mailparser's
 * HTML-to-text converter, which ships no types.
 */
declare module 'html-to-text' {
  /** Options of the converter; only the limits are set, as mailparser sets them. */
  export interface HtmlToTextOptions {
    limits?: { maxDepth?: number };
  }
  /** Builds a converter once, so each conversion skips compiling the options again. */
  export function compile(options?: HtmlToTextOptions): (html: string) => string;
}
