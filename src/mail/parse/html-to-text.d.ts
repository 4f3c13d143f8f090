/**
 * The one function of html-to-text (mailparser's HTML-to-text converter,
 * which ships no types) that quick-digest-html.ts calls.
 */
declare module 'html-to-text' {
  /** Options of the converter; only the limits are set here. */
  export interface HtmlToTextOptions {
    limits?: { maxDepth?: number };
  }
  /** Builds a converter once, so each conversion skips compiling the options again. */
  export function compile(options?: HtmlToTextOptions): (html: string) => string;
}
