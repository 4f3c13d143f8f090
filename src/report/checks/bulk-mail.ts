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
import { listed } from './wording.js';

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
  if (signal === null) {
    return finding('list-unsubscribe-one-click', 'info', 'The message does not look like bulk mail, so it needs no one-click unsubscribe.');
  }
  const missing = missingRequirements(input);
  if (missing.length === 0) {
    return finding('list-unsubscribe-one-click', 'pass', `The message looks like bulk mail (${signal}) and offers one-click unsubscribe as RFC 8058 defines it.`);
  }
  return finding(
    'list-unsubscribe-one-click',
    'fail',
    `The message looks like bulk mail (${signal}), and Gmail and Yahoo require one-click unsubscribe (RFC 8058) of bulk senders: ${listed(missing)}.`,
  );
}

// Why the message looks bulk, or null when it does not.
function bulkSignal({ headers, links }: BulkMailInput): string | null {
  const has = (name: string): boolean => headers.some((header) => header.name === name);
  if (has('list-unsubscribe')) return 'it has a List-Unsubscribe header';
  if (has('list-id')) return 'it has a List-Id header';
  if (headers.some((header) => header.name === 'precedence' && BULK_PRECEDENCE.test(header.value))) return 'its Precedence header says bulk or list';
  if (links.some((link) => UNSUBSCRIBE_LINK.test(link.url) || UNSUBSCRIBE_LINK.test(link.text ?? ''))) return 'it has an unsubscribe link';
  return null;
}

function missingRequirements({ headers, authentication }: BulkMailInput): string[] {
  const valuesOf = (name: string): string[] => headers.filter((header) => header.name === name).map((header) => header.value);
  const missing: string[] = [];
  if (!valuesOf('list-unsubscribe').some(hasHttpsUrl)) missing.push('add a List-Unsubscribe header with an https URL, such as <https://your-domain/unsubscribe?id=…>');
  if (!valuesOf('list-unsubscribe-post').some((value) => ONE_CLICK.test(value))) missing.push('add the header "List-Unsubscribe-Post: List-Unsubscribe=One-Click"');
  if (!authentication.dkim.some((signature) => signature.result === 'pass' && SIGNED_HEADERS.every((name) => signature.signedHeaders.includes(name)))) {
    missing.push(dkimAdvice(authentication));
  }
  return missing;
}

function hasHttpsUrl(value: string): boolean {
  return [...value.matchAll(ANGLE_BRACKETED)].some(([, uri = '']) => /^\s*https:\/\//i.test(uri));
}

function dkimAdvice(authentication: Authentication): string {
  const covering = authentication.dkim.some((signature) => SIGNED_HEADERS.every((name) => signature.signedHeaders.includes(name)));
  if (covering && !authentication.dnsChecked) return 'sign both headers with a DKIM signature that passes (one covers them, but DNS lookups are off, so it was not verified)';
  if (covering) return 'sign both headers with a DKIM signature that passes (the signature that covers them does not pass)';
  return 'sign both headers with DKIM (list list-unsubscribe and list-unsubscribe-post in the signature\'s h= tag)';
}
