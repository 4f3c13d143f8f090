import { getDomain } from 'tldts';

/** The domain of an address (after its last @), lower case; null when it has none. */
export function domainOfAddress(address: string | null | undefined): string | null {
  const at = address?.lastIndexOf('@') ?? -1;
  if (address === null || address === undefined || at < 0) return null;
  const domain = address.slice(at + 1).trim().toLowerCase();
  return domain === '' ? null : domain;
}

/**
 * The registrable domain (mail.good.test -> good.test), as DMARC's relaxed
 * alignment compares them. Private suffixes count as public ones
 * (alice.github.io and bob.github.io are different owners); a name the
 * public suffix list cannot place is its own.
 */
export function registrableDomain(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: true }) ?? hostname.toLowerCase();
}
