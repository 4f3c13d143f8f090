/**
 * The sentences of the delivery timeline: where the message waited on its
 * way, and how long it took. `seconds` are a duration, never negative (a
 * Date ahead of the clock says so in its words); `from` and `by` name the
 * hosts of a hop as its Received header did, or `timeline.unnamed-host`.
 */
import { humanDuration } from '../duration.js';
import { fixed, template, type EnglishList } from './sentence.js';

// "a -> b (14 minutes), c -> d (6 minutes) and 2 more"
const hopList = ({ items, more }: EnglishList): string => (more > 0 ? `${items.join(', ')} and ${more} more` : items.join(', '));

/** The slow-hop check: each hop's delay; clock trouble and a cut chain are noted. */
export const HOP_SENTENCES = {
  'timeline.unnamed-host': fixed('an unnamed host'),
  'slow-hop.one': template(['from', 'by', 'seconds'], (v) => `The hop ${v.from} -> ${v.by} took ${humanDuration(v.seconds)}.`),
  // `seconds` is the limit over which a hop is slow; `hops` are `slow-hop.hop` phrases.
  'slow-hop.many': template(['count', 'seconds', 'hops'], (v) => `${v.count} hops took over ${humanDuration(v.seconds)}: ${hopList(v.hops)}.`),
  'slow-hop.hop': template(['from', 'by', 'seconds'], (v) => `${v.from} -> ${v.by} (${humanDuration(v.seconds)})`),
  'slow-hop.advice': fixed('Mail usually crosses a hop in seconds: look in the receiving host\'s logs for deferrals, retries or greylisting.'),
  // `hops` (`count` of them) whose clocks ran backwards, each with how far.
  'slow-hop.skewed': template(['count', 'hops'], (v) => (v.count === 1
    ? `The hop ${hopList(v.hops)} ended before it started: a host's clock is off, so its delay says nothing about speed.`
    : `The hops ${hopList(v.hops)} ended before they started: a host's clock is off, so their delays say nothing about speed.`)),
  'slow-hop.untimed': fixed('No hop could be timed: the Received headers and the Date header carry no readable times.'),
  // `limit` Received headers read of `count`.
  'slow-hop.truncated': template(['limit', 'count'],
    (v) => `Only the newest ${v.limit} of ${v.count} Received headers were read; a chain that long means a mail loop or forged headers.`),
  'slow-hop.ok': template(['seconds'], (v) => `No hop took over ${humanDuration(v.seconds)}.`),
};

/** The delivery-time check: from the Date header to arrival here. */
export const DELIVERY_SENTENCES = {
  'delivery-time.no-date': fixed('The message has no readable Date header, so how long it took to arrive is unknown.'),
  'delivery-time.slow': template(['seconds'],
    (v) => `The message arrived ${humanDuration(v.seconds)} after its Date header; the timeline shows where it waited.`),
  'delivery-time.ahead': template(['seconds'], (v) => `The Date header is ${humanDuration(v.seconds)} ahead of this server's clock: `
    + 'the sending host\'s clock is off (set it by NTP), and some filters distrust mail dated in the future.'),
  'delivery-time.drift': template(['seconds'],
    (v) => `The Date header is ${humanDuration(v.seconds)} ahead of this server's clock, within ordinary clock drift.`),
  'delivery-time.ok': template(['seconds'], (v) => `The message arrived ${humanDuration(v.seconds)} after its Date header.`),
};
