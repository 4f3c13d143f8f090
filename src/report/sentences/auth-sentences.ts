/**
 * The sentences of authentication: what each SPF, DKIM, DMARC and ARC result
 * means and, for anything but pass, what to fix; and those of the checks
 * made from them (an unsigned message, the From domain's alignment).
 * `why` is mailauth's own comment in parentheses after a space, such as
 * " (no key)", or empty: a detail in its words, like a quoted header.
 */
import { fixed, template } from './sentence.js';

const DNS_OFF = 'DNS lookups are switched off on this server (--dns-servers off)';

/** SPF for the client IP, HELO and MAIL FROM; `domain` is MAIL FROM's, or the HELO name's for a bounce. */
export const SPF_SENTENCES = {
  'spf.not-recorded': fixed('This message was stored before Ephemail recorded the sending host, so SPF could not be checked; send it again.'),
  'spf.dns-off': fixed(`${DNS_OFF}, so SPF was not checked.`),
  'spf.pass': template(['domain', 'ip'], (v) => `${v.domain}'s SPF record allows ${v.ip} to send its mail.`),
  'spf.fail': template(['domain', 'ip'], (v) => `${v.ip} is not allowed by ${v.domain}'s SPF record; add it, or send through a host that is.`),
  'spf.softfail': template(['domain', 'ip'],
    (v) => `${v.domain}'s SPF record says ${v.ip} is probably not allowed (~all); add it to the record, or send through a host that is.`),
  'spf.neutral': template(['domain', 'ip'],
    (v) => `${v.domain}'s SPF record neither allows nor forbids ${v.ip} (?all); list the hosts that send for ${v.domain} in it.`),
  // `mechanism` is ip4 or ip6, as the record to publish needs it.
  'spf.none': template(['domain', 'ip', 'mechanism'],
    (v) => `${v.domain} publishes no SPF record; publish one that lists the hosts sending its mail, e.g. "v=spf1 ${v.mechanism}:${v.ip} -all".`),
  'spf.temperror': template(['domain', 'why'],
    (v) => `${v.domain}'s SPF record could not be looked up${v.why}; receivers will retry or treat the mail as unverified, so check that its DNS servers answer.`),
  'spf.broken': template(['domain', 'why'], (v) => `${v.domain}'s SPF record is broken${v.why}; fix its syntax and keep it within 10 DNS lookups.`),
};

/** One DKIM signature; `key` is the DNS name of its key (selector._domainkey.domain). */
export const DKIM_SENTENCES = {
  'dkim.unnamed-domain': fixed('an unnamed domain'),
  'dkim.body-changed': template(['domain'], (v) => `The body was changed after ${v.domain} signed it (its hash does not match the signature); `
    + 'sign as the last step, and make sure no relay adds footers, tracking or line wraps after.'),
  'dkim.dns-off': template(['domain'], (v) => `${DNS_OFF}, so the key of ${v.domain} was not fetched; the body is unchanged since it was signed.`),
  'dkim.pass': template(['domain'], (v) => `The signature of ${v.domain} verifies: nothing it covers changed since it was signed.`),
  'dkim.pass-not-aligned': template(['domain', 'fromDomain'], (v) => `The signature of ${v.domain} verifies: nothing it covers changed since it was signed. `
    + `It is not from the From domain ${v.fromDomain}, so it does not count for DMARC; sign as ${v.fromDomain} as well.`),
  'dkim.fail': template(['domain', 'why', 'key'], (v) => `The signature of ${v.domain} does not verify${v.why}; `
    + `check that the key published at ${v.key} is the one the signer uses, and that no relay rewrites signed headers.`),
  'dkim.weak-key': template(['domain', 'why'], (v) => `The signature of ${v.domain} uses a key receivers refuse${v.why}; use an RSA key of 2048 bits.`),
  'dkim.temperror': template(['key', 'why', 'domain'],
    (v) => `The key at ${v.key} could not be looked up${v.why}; check that the DNS servers of ${v.domain} answer.`),
  'dkim.unreadable': template(['why'], (v) => `The DKIM-Signature header cannot be read${v.why}; fix the signer.`),
  'dkim.no-key': template(['domain', 'key'], (v) => `The signature of ${v.domain} could not be checked: there is no key at ${v.key}; publish the public key there.`),
  'dkim.unchecked': template(['domain', 'why', 'key'],
    (v) => `The signature of ${v.domain} could not be checked${v.why}; check its tags (expiry, algorithm) and the key record at ${v.key}.`),
  'dkim.unreadable-header': fixed('A DKIM-Signature header cannot be read: it lacks d= or s=, or names an algorithm or canonicalization receivers do not know; '
    + 'fix the signer, or remove the header.'),
  'dkim.too-many': template(['count', 'limit'], (v) => `${v.count} more DKIM-Signature header(s) past the first ${v.limit} were not checked; `
    + 'receivers check only a few, so sign once, or twice at most (your domain and your email service\'s).'),
  // The DKIM check's own sentences, beside the signatures'.
  'dkim.unsigned': fixed('The message is not signed with DKIM; sign it as the From domain, as Gmail and Yahoo require of every sender since 2024.'),
  'dkim.other-broken': template(['explanation'], (v) => `Another signature is broken and ignored: ${v.explanation}`),
};

/** DMARC for the From domain; `policy` is the published p= (none when there is none). */
export const DMARC_SENTENCES = {
  'dmarc.no-from': fixed('The message has no readable From address, so DMARC cannot apply; give it one.'),
  'dmarc.dns-off': fixed(`${DNS_OFF}, so DMARC was not checked.`),
  'dmarc.pass-dkim-spf': template(['domain', 'policy'],
    (v) => `The message passes ${v.domain}'s DMARC policy (p=${v.policy}): DKIM and SPF passed for ${v.domain} itself.`),
  'dmarc.pass-dkim': template(['domain', 'policy'], (v) => `The message passes ${v.domain}'s DMARC policy (p=${v.policy}): DKIM passed for ${v.domain} itself.`),
  'dmarc.pass-spf': template(['domain', 'policy'], (v) => `The message passes ${v.domain}'s DMARC policy (p=${v.policy}): SPF passed for ${v.domain} itself.`),
  // A pass that names neither: mailauth never gives one, but its alignment is its own to report.
  'dmarc.pass': template(['domain', 'policy'], (v) => `The message passes ${v.domain}'s DMARC policy (p=${v.policy}).`),
  'dmarc.fail-reject': template(['domain'], (v) => dmarcFailure(v.domain, 'reject', 'refuse it')),
  'dmarc.fail-quarantine': template(['domain'], (v) => dmarcFailure(v.domain, 'quarantine', 'put it in spam')),
  'dmarc.fail-none': template(['domain'], (v) => dmarcFailure(v.domain, 'none', 'deliver it but report it to the domain')),
  'dmarc.none': template(['domain'], (v) => `${v.domain} publishes no DMARC policy; Gmail and Yahoo require one of bulk senders since 2024: `
    + `publish at least "v=DMARC1; p=none" at _dmarc.${v.domain}.`),
  'dmarc.temperror': template(['domain', 'why'], (v) => `${v.domain}'s DMARC policy could not be looked up${v.why}; check that its DNS servers answer.`),
  'dmarc.broken': template(['domain', 'why'], (v) => `${v.domain}'s DMARC record is broken${v.why}; fix it at _dmarc.${v.domain}.`),
};

function dmarcFailure(domain: string, policy: string, fate: string): string {
  return `Neither SPF nor DKIM passed for the From domain ${domain}, and its DMARC policy (p=${policy}) tells receivers to ${fate}; `
    + `sign it with DKIM as ${domain}, or send it with a MAIL FROM under ${domain} through a host its SPF allows.`;
}

/** The ARC chain forwarders add; `count` is its number of seals. */
export const ARC_SENTENCES = {
  'arc.none': fixed('No forwarder sealed this message with ARC; ARC matters only for mail forwarded by lists or relays that change it.'),
  'arc.dns-off': fixed(`${DNS_OFF}, so the ARC seals were not checked.`),
  'arc.pass': template(['count'], (v) => `The ARC chain of ${v.count} seal(s) verifies: receivers may trust what the forwarders recorded.`),
  'arc.fail': template(['count', 'why'], (v) => `The ARC chain of ${v.count} seal(s) does not verify${v.why}; a forwarder's seal is broken or its key is missing.`),
};

/** Whether the From domain is the one that signs or sends; `senders` are the phrases below, each naming who does. */
export const ALIGNMENT_SENTENCES = {
  'from-alignment.no-from': fixed('The message has no readable From address; give it one from the domain that sends it.'),
  'from-alignment.pass': template(['domain'], (v) => `The From domain ${v.domain} matches the domain that signs or sends the message.`),
  'from-alignment.fail': template(['domain', 'senders'], (v) => `From says ${v.domain}, but the message is ${v.senders.items.join(' and ')}; `
    + `sign it with DKIM as ${v.domain}, or use a MAIL FROM under ${v.domain}, so that receivers see the sender is who From says.`),
  'from-alignment.signed-by': template(['domain'], (v) => `signed by ${v.domain}`),
  'from-alignment.mail-from': template(['domain'], (v) => `MAIL FROM ${v.domain}`),
  'from-alignment.bounce': fixed('a bounce MAIL FROM'),
};
