import { HTML_CONVERTED_CHARACTERS } from './html-as-text.js';
import type { HeaderLine } from './headers.js';
import type { ReadingCopy } from './reading-copy.js';
import { MAX_TEXT_CHARACTERS } from './text-cut.js';

/** What parsing noticed about a message that its readers should be told. */
export interface Findings {
  raw: Buffer;
  headers: HeaderLine[];
  skippedHeaderLines: number;
  /** What the reading copy repaired. */
  repairs: Pick<ReadingCopy, 'unseparated' | 'untyped'>;
  dateText: string | undefined;
  date: number | null;
  /** Characters of HTML when the text was derived from its first HTML_CONVERTED_CHARACTERS only; null otherwise. */
  htmlCharactersCut: number | null;
  /** Why the HTML the text was to be derived from gave none; null otherwise. */
  htmlRefusal: string | null;
  /** Characters of text before it was cut to MAX_TEXT_CHARACTERS. */
  textCharacters: number;
}

/** The sentences of a parsed message's `problems`. */
export function describeProblems(findings: Findings): string[] {
  const problems: string[] = [];
  if (findings.raw.length === 0) {
    problems.push('The message is empty.');
  } else if (findings.headers.length === 0) {
    problems.push('The message has no readable headers.');
  }
  if (findings.skippedHeaderLines > 0) {
    problems.push(`${findings.skippedHeaderLines} header line(s) had no valid header name and were left out.`);
  }
  if (findings.repairs.unseparated > 0) {
    problems.push(`${findings.repairs.unseparated} header block(s) did not end with an empty line; each body is read from the first line that is not a header field, as mail clients read it.`);
  }
  if (findings.repairs.untyped > 0) {
    problems.push(`${findings.repairs.untyped} Content-Type value(s) named no type/subtype; those parts are read as text/plain (RFC 2045, section 5.2).`);
  }
  if (findings.dateText !== undefined && findings.date === null) {
    problems.push(`The Date header "${findings.dateText}" is not a readable date.`);
  }
  if (findings.htmlCharactersCut !== null) {
    problems.push(`The HTML is ${findings.htmlCharactersCut} characters long; the text is derived from its first ${HTML_CONVERTED_CHARACTERS} only (the raw message has all of it).`);
  }
  if (findings.htmlRefusal !== null) {
    problems.push(findings.htmlRefusal);
  }
  if (findings.textCharacters > MAX_TEXT_CHARACTERS) {
    problems.push(`The text is ${findings.textCharacters} characters long; only the first ${MAX_TEXT_CHARACTERS} are shown (the raw message has all of it).`);
  }
  return problems;
}

