import { readdirSync, readFileSync } from 'node:fs';
import { GENERATED } from './generators.js';
import { describeHostile, type HostileCase } from './suite.js';

/**
 * Malformed, deep, wide, amplifying and oddly named mail over real SMTP
 * against a running server; see suite.ts for what is asserted of each.
 */

const CORPUS_DIR = new URL('./corpus/', import.meta.url);
// Files are kept with plain newlines for readability; mail travels with CRLF.
const CORPUS: HostileCase[] = readdirSync(CORPUS_DIR).filter((file) => file.endsWith('.eml')).sort().map((file) => ({
  name: file,
  expect: 'stored',
  build: () => Buffer.from(readFileSync(new URL(file, CORPUS_DIR), 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1'),
}));

describeHostile('hostile mail: hand-written corpus', CORPUS);
describeHostile('hostile mail: generated', GENERATED);
