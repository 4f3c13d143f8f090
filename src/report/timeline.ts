import type { HeaderLine } from '../mail/parse/headers.js';
import type { IntakeSession } from '../store/message.js';
import { finding } from './penalties.js';
import { HOST_LIMIT, parseReceived, type ReceivedHop } from './received-header.js';
import type { ReportCheck, Timeline, TimelineHop } from './report.js';
import type { Sentence } from './sentences/sentence.js';
import { listOf, sentence } from './sentences/sentences.js';

/**
 * The delivery timeline of a message (its way here, from its Received chain
 * and Date header) and the checks that say where it waited.
 */

/**
 * Received headers read, newest first. Real mail crosses fewer than ten
 * relays; RFC 5321 §6.3 has loops detected at about 100. The newest are the
 * ones real relays added (a sender can forge any number below them), so the
 * oldest past this many are dropped and counted.
 */
export const RECEIVED_LIMIT = 50;

// A relay hands mail on in seconds. Minutes mean it queued, retried or
// greylisted the message (greylisting makes senders retry after 5 minutes or
// more), which the sender can look into.
const SLOW_HOP_SECONDS = 5 * 60;
// "Delivery can take up to 15 minutes at peak times" is what people were told
// when a code did not come; past that, they have given up waiting.
const SLOW_DELIVERY_SECONDS = 15 * 60;
// Hosts kept by NTP agree within a second, and relays that stamp whole
// minutes are off by under one; a hop that ends two minutes before it starts
// means a clock is wrong. Skew is reported, never penalised.
const SKEW_NOTE_SECONDS = 2 * 60;

// Sentences name this many hops and count the rest, so their length stays bounded.
const NAMED_HOPS = 3;

/** This server's end of the last hop. */
export interface Arrival {
  /** What intake saw of the client; null for copies stored before intake recorded it. */
  session: IntakeSession | null;
  /** The name this server goes by as the last hop's `by`. */
  serverName: string;
}

/**
 * The message's way here, oldest hop first, from its Received chain and Date
 * header; `receivedAt` is when this server took it (ms since epoch). Stored
 * mail has no Received header of this server's own, so the last hop, from the
 * client intake saw (or, for older copies, the last relay) to
 * `arrival.serverName`, is added here.
 */
export function deliveryTimeline(headers: readonly HeaderLine[], date: number | null, receivedAt: number, arrival: Arrival): Timeline {
  const sentAt = readableTime(date);
  const { newestFirst, omitted } = newestReceived(headers);
  const relays = newestFirst.reverse();
  const lastRelay = relays.at(-1);
  const points: ReceivedHop[] = [
    ...relays,
    // The client as intake saw it is a fact; the last relay's `by` is only what that relay called itself.
    { from: clientName(arrival.session) ?? lastRelay?.by ?? null, by: arrival.serverName.slice(0, HOST_LIMIT), at: receivedAt },
  ];
  const hops = points.map((point, index): TimelineHop => {
    // Without the omitted hops the first one read has no known start.
    const start = index === 0 ? (omitted > 0 ? null : sentAt) : (points[index - 1]?.at ?? null);
    return { from: point.from, by: point.by, at: isoTime(point.at), delaySeconds: secondsBetween(start, point.at) };
  });
  return { sentAt: isoTime(sentAt), receivedAt: new Date(receivedAt).toISOString(), hops, totalSeconds: secondsBetween(sentAt, receivedAt), omittedHops: omitted };
}

/**
 * The `slow-hop` check (a hop over 5 minutes warns, naming it: "the hop
 * relay.good.test -> mx2.good.test took 14 minutes") and the `delivery-time`
 * check (over 15 minutes from the Date header warns). Clock skew is told as
 * info and costs nothing.
 */
export function timelineChecks(timeline: Timeline): ReportCheck[] {
  return [slowHopCheck(timeline), deliveryTimeCheck(timeline.totalSeconds)];
}

function newestReceived(headers: readonly HeaderLine[]): { newestFirst: ReceivedHop[]; omitted: number } {
  const newestFirst: ReceivedHop[] = [];
  let omitted = 0;
  for (const header of headers) {
    if (header.name !== 'received') continue;
    if (newestFirst.length < RECEIVED_LIMIT) {
      newestFirst.push(parseReceived(header.value));
    } else {
      omitted += 1;
    }
  }
  return { newestFirst, omitted };
}

/** The client as a Received header would name it: its HELO name and IP address. */
function clientName(session: IntakeSession | null): string | null {
  if (session === null) return null;
  const address = `[${session.clientIp}]`;
  return (session.helo === '' ? address : `${session.helo} ${address}`).slice(0, HOST_LIMIT);
}

// Outside this range a Date cannot be written as ISO time.
function readableTime(ms: number | null): number | null {
  return ms !== null && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : null;
}

function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function secondsBetween(start: number | null, end: number | null): number | null {
  return start === null || end === null ? null : Math.round((end - start) / 1000);
}

/**
 * Each hop's delay as the clocks around it allow: from the latest time
 * stamped before it to the earliest stamped from it on, since real times only
 * grow. A clock that is off then shortens a hop (or makes it negative)
 * instead of making the next or previous one look slow. The Date header, the
 * least reliable clock, counts only for the first hop, as for its delay.
 */
function boundedDelays(timeline: Timeline): Array<number | null> {
  const times = timeline.hops.map((hop) => (hop.at === null ? null : Date.parse(hop.at)));
  const sentAt = timeline.sentAt === null ? null : Date.parse(timeline.sentAt);
  const known = (values: Array<number | null>): number[] => values.filter((value) => value !== null);
  return timeline.hops.map((hop, index) => {
    if (hop.delaySeconds === null) return null;
    const earlier = known(index === 0 ? [sentAt] : times.slice(0, index));
    const later = known(times.slice(index));
    return secondsBetween(Math.max(...earlier), Math.min(...later));
  });
}

function slowHopCheck(timeline: Timeline): ReportCheck {
  const { hops } = timeline;
  const delays = boundedDelays(timeline);
  const slow = hops
    .map((hop, index) => ({ ...hop, delaySeconds: delays[index] ?? null }))
    .filter((hop) => (hop.delaySeconds ?? 0) > SLOW_HOP_SECONDS);
  const skewed = hops.filter((hop) => (hop.delaySeconds ?? 0) < -SKEW_NOTE_SECONDS);
  const notes: Sentence[] = [];
  if (skewed.length > 0) notes.push(sentence('slow-hop.skewed', { count: skewed.length, hops: listHops(skewed) }));
  if (hops.every((hop) => hop.delaySeconds === null)) notes.push(sentence('slow-hop.untimed'));
  if (timeline.omittedHops > 0) {
    notes.push(sentence('slow-hop.truncated', { limit: RECEIVED_LIMIT, count: hops.length - 1 + timeline.omittedHops }));
  }
  const [first, ...rest] = notes;
  if (slow.length > 0) return finding('slow-hop', 'warn', slowSentence(slow), [sentence('slow-hop.advice'), ...notes]);
  if (first !== undefined) return finding('slow-hop', 'info', first, rest);
  return finding('slow-hop', 'pass', sentence('slow-hop.ok', { seconds: SLOW_HOP_SECONDS }));
}

function deliveryTimeCheck(totalSeconds: number | null): ReportCheck {
  if (totalSeconds === null) return finding('delivery-time', 'info', sentence('delivery-time.no-date'));
  const seconds = Math.abs(totalSeconds);
  if (totalSeconds > SLOW_DELIVERY_SECONDS) return finding('delivery-time', 'warn', sentence('delivery-time.slow', { seconds }));
  if (totalSeconds < -SKEW_NOTE_SECONDS) return finding('delivery-time', 'info', sentence('delivery-time.ahead', { seconds }));
  if (totalSeconds < 0) return finding('delivery-time', 'pass', sentence('delivery-time.drift', { seconds }));
  return finding('delivery-time', 'pass', sentence('delivery-time.ok', { seconds }));
}

function slowSentence(slow: readonly TimelineHop[]): Sentence {
  const [only] = slow;
  if (slow.length === 1 && only !== undefined) return sentence('slow-hop.one', hopDelay(only));
  return sentence('slow-hop.many', { count: slow.length, seconds: SLOW_HOP_SECONDS, hops: listHops(slow) });
}

/** The first NAMED_HOPS hops, each with its delay, and how many more there are. */
function listHops(hops: readonly TimelineHop[]): Array<string | Sentence> {
  return listOf(hops.map((hop) => sentence('slow-hop.hop', hopDelay(hop))), NAMED_HOPS);
}

// Its hosts, or the phrase for one a Received header did not name, and how long it took (clock skew: how far back).
function hopDelay(hop: TimelineHop): { from: string | Sentence; by: string | Sentence; seconds: number } {
  const unnamed = sentence('timeline.unnamed-host');
  return { from: hop.from ?? unnamed, by: hop.by ?? unnamed, seconds: Math.abs(hop.delaySeconds ?? 0) };
}
