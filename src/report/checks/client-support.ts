/**
 * The `email-client-support` check: HTML and CSS features that major mail
 * clients do not support, from the caniemail data (@jsx-email/doiuse-email).
 * Only "not supported" counts; "partially supported" is nearly everything
 * (margins, padding, lists) and would bury what matters.
 */
import { doIUseEmail } from '@jsx-email/doiuse-email';
import type { ReportCheck } from '../report.js';
import { finding } from '../penalties.js';
import { listOf, sentence } from '../sentences/sentences.js';
import { quoted } from './wording.js';

/**
 * Characters of HTML checked: the linter builds a whole tree and parses every
 * style, so hostile HTML must stay short. Measured on 2026-12-05 (shared
 * 2-vCPU VM): a 100 KB newsletter in 130 to 300 ms, 10,000 style attributes
 * (cut to this) in 0.6 s, 40,000 nested elements in 0.45 s (the linter's
 * recursion overflows the stack: `info`).
 */
export const CLIENT_SUPPORT_HTML_CHARACTERS = 200 * 1024;

// The clients most readers use, by caniemail's names, and how people call them.
const MAJOR_CLIENTS: ReadonlyArray<readonly [id: string, family: string, platform: string]> = [
  ['gmail.desktop-webmail', 'Gmail', 'web'],
  ['gmail.android', 'Gmail', 'Android'],
  ['gmail.ios', 'Gmail', 'iOS'],
  ['apple-mail.macos', 'Apple Mail', 'macOS'],
  ['apple-mail.ios', 'Apple Mail', 'iOS'],
  ['outlook.windows', 'Outlook', 'Windows'],
  ['outlook.macos', 'Outlook', 'macOS'],
  ['outlook.ios', 'Outlook', 'iOS'],
  ['outlook.android', 'Outlook', 'Android'],
  ['yahoo.desktop-webmail', 'Yahoo Mail', 'web'],
];
// Every HTML message has a body; clients that replace it with a <div> keep what matters.
const IGNORED_FEATURES = new Set(['<body> element']);
const UNSUPPORTED = /^`(.+)` is not supported by `([^`]+)`$/;
const LISTED_FEATURES = 3;

/** `email-client-support`: warns naming the features major clients lack and those clients; `info` when the linter fails. */
export function emailClientSupport(html: string | null): ReportCheck {
  if (html === null) return finding('email-client-support', 'pass', sentence('email-client-support.no-html'));
  const checked = html.slice(0, CLIENT_SUPPORT_HTML_CHARACTERS);
  const cut = html.length > checked.length ? [sentence('email-client-support.partly-checked', { kilobytes: CLIENT_SUPPORT_HTML_CHARACTERS / 1024 })] : [];
  let unsupported: Map<string, Set<string>>;
  try {
    unsupported = unsupportedFeatures(checked);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return finding('email-client-support', 'info', sentence('email-client-support.unchecked', { reason: quoted(reason) }));
  }
  if (unsupported.size === 0) return finding('email-client-support', 'pass', sentence('email-client-support.supported'), cut);
  const features = [...unsupported].map(([feature, clients]) => sentence('email-client-support.feature', { feature: quoted(feature), clients: clientNames(clients) }));
  return finding('email-client-support', 'warn', sentence('email-client-support.unsupported', { count: unsupported.size, features: listOf(features, LISTED_FEATURES) }), cut);
}

// Each unsupported feature with the ids of the major clients that lack it, in the linter's order.
function unsupportedFeatures(html: string): Map<string, Set<string>> {
  const result = doIUseEmail(html, { emailClients: MAJOR_CLIENTS.map(([id]) => id) });
  const features = new Map<string, Set<string>>();
  for (const error of result.success ? [] : result.errors) {
    const [, feature = '', client = ''] = UNSUPPORTED.exec(error) ?? [];
    if (feature === '' || IGNORED_FEATURES.has(feature)) continue;
    features.set(feature, (features.get(feature) ?? new Set()).add(client));
  }
  return features;
}

// ["Gmail (web, Android)", "Outlook (Windows)"], in MAJOR_CLIENTS' order: names of products and platforms, the same in every language.
function clientNames(ids: ReadonlySet<string>): string[] {
  const platforms = new Map<string, string[]>();
  for (const [id, family, platform] of MAJOR_CLIENTS) {
    if (ids.has(id)) platforms.set(family, [...(platforms.get(family) ?? []), platform]);
  }
  return [...platforms].map(([family, names]) => `${family} (${names.join(', ')})`);
}
