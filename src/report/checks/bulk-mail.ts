/**
 * The `list-unsubscribe-one-click` check. Since 2024 Gmail and Yahoo require
 * bulk senders to offer one-click unsubscribe as RFC 8058 defines it: a
 * List-Unsubscribe header with an https URL, List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click, and a valid DKIM signature covering both.
 */
import type { FoundLink } from '../../mail/extract/links.js';
import type { HeaderLine } from '../../mail/parse/headers.js';
import type { Authentication, ReportCheck } from '../report.js';
import { finding } from '../penalties.js';
import type { Sentence } from '../sentences/sentence.js';
import { sentence } from '../sentences/sentences.js';

const BULK_PRECEDENCE = /^\s*(?:bulk|list|junk)\s*$/i;
const UNSUBSCRIBE_LINK = /unsubscribe|opt[-_ ]?out/i;
const ONE_CLICK = /^\s*List-Unsubscribe\s*=\s*One-Click\s*$/i;
const ANGLE_BRACKETED = /<([^<>]*)>/g;
const SIGNED_HEADERS = ['list-unsubscribe', 'list-unsubscribe-post'];

/** What the check reads: the headers, the links, and what DKIM said. */
export interface BulkMailInput {
  headers: readonly HeaderLine[];
  links: readonly FoundLink[];
  authentication: Authentication;
}

/** `list-unsubscribe-one-click`: `info` for mail that does not look bulk; for bulk mail, fails naming each RFC 8058 requirement it misses. */
export function listUnsubscribeOneClick(input: BulkMailInput): ReportCheck {
  const signal = bulkSignal(input);
  if (signal === null) return finding('list-unsubscribe-one-click', 'info', sentence('list-unsubscribe-one-click.not-bulk'));
  const requirements = missingRequirements(input);
  if (requirements.length === 0) return finding('list-unsubscribe-one-click', 'pass', sentence('list-unsubscribe-one-click.offered', { signal }));
  return finding('list-unsubscribe-one-click', 'fail', sentence('list-unsubscribe-one-click.missing', { signal, requirements }));
}

// Why the message looks bulk, or null when it does not.
function bulkSignal({ headers, links }: BulkMailInput): Sentence | null {
  const has = (name: string): boolean => headers.some((header) => header.name === name);
  if (has('list-unsubscribe')) return sentence('list-unsubscribe-one-click.signal-header');
  if (has('list-id')) return sentence('list-unsubscribe-one-click.signal-list-id');
  if (headers.some((header) => header.name === 'precedence' && BULK_PRECEDENCE.test(header.value))) return sentence('list-unsubscribe-one-click.signal-precedence');
  if (links.some((link) => UNSUBSCRIBE_LINK.test(link.url) || UNSUBSCRIBE_LINK.test(link.text ?? ''))) return sentence('list-unsubscribe-one-click.signal-link');
  return null;
}

function missingRequirements({ headers, authentication }: BulkMailInput): Sentence[] {
  const valuesOf = (name: string): string[] => headers.filter((header) => header.name === name).map((header) => header.value);
  const missing: Sentence[] = [];
  if (!valuesOf('list-unsubscribe').some(hasHttpsUrl)) missing.push(sentence('list-unsubscribe-one-click.add-https-url'));
  if (!valuesOf('list-unsubscribe-post').some((value) => ONE_CLICK.test(value))) missing.push(sentence('list-unsubscribe-one-click.add-post-header'));
  if (!authentication.dkim.some((signature) => signature.result === 'pass' && SIGNED_HEADERS.every((name) => signature.signedHeaders.includes(name)))) {
    missing.push(dkimAdvice(authentication));
  }
  return missing;
}

function hasHttpsUrl(value: string): boolean {
  return [...value.matchAll(ANGLE_BRACKETED)].some(([, uri = '']) => /^\s*https:\/\//i.test(uri));
}

function dkimAdvice(authentication: Authentication): Sentence {
  const covering = authentication.dkim.some((signature) => SIGNED_HEADERS.every((name) => signature.signedHeaders.includes(name)));
  if (covering && !authentication.dnsChecked) return sentence('list-unsubscribe-one-click.sign-unverified');
  return sentence(covering ? 'list-unsubscribe-one-click.sign-failing' : 'list-unsubscribe-one-click.sign-headers');
}
