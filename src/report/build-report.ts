import { parseMessage } from '../mail/parse/parse.js';
import type { IntakeSession } from '../store/message.js';
import { authenticateMessage } from './authentication.js';
import { authenticationChecks } from './auth-checks.js';
import { contentChecks } from './checks/content-checks.js';
import { withDeadline, type DnsLookup } from './dns-resolver.js';
import type { DeliverabilityReport } from './report.js';
import { scoreOf, worstFirst } from './score.js';
import { dateHeaderTime } from './received-header.js';
import { deliveryTimeline, timelineChecks } from './timeline.js';

/** One stored message as the report reads it. */
export interface ReportSubject {
  raw: Buffer;
  mailFrom: string | null;
  /** Null for a copy stored before intake recorded sessions. */
  session: IntakeSession | null;
  /** When this server stored it, in ms since the epoch. */
  receivedAt: number;
}

/** What a report is made with, the same for every message. */
export interface ReportEnvironment {
  /** Null when DNS lookups are switched off. */
  lookup: DnsLookup | null;
  /** This server's name, as a receiver names itself. */
  receiver: string;
  /** All of one report's lookups end within this long; later ones are temperrors. */
  dnsBudgetMs: number;
  now: () => number;
}

/**
 * The deliverability report of one message: authentication, the content
 * checks, the timeline and the score. Runs in a report worker; a DNS
 * failure becomes a temperror in the report, never a rejection.
 */
export async function buildReport(subject: ReportSubject, environment: ReportEnvironment): Promise<DeliverabilityReport> {
  const { raw, mailFrom, session, receivedAt } = subject;
  const parsed = await parseMessage(raw);
  const lookup = environment.lookup === null ? null : withDeadline(environment.lookup, environment.now() + environment.dnsBudgetMs, environment.now);
  const authentication = await authenticateMessage(raw, { mailFrom, session }, { lookup, receiver: environment.receiver });
  // Read strictly: mailparser's Date.parse reads "1" as the year 2001.
  const sentAt = dateHeaderTime(parsed.headers);
  const timeline = deliveryTimeline(parsed.headers, sentAt, receivedAt, { session, serverName: environment.receiver });
  const checks = worstFirst([
    ...authenticationChecks(authentication, { mailFrom, fromAddress: parsed.from?.address ?? null }),
    ...contentChecks({ parsed, rawSize: raw.length, authentication, receivedAt, sentAt }),
    ...timelineChecks(timeline),
  ]);
  return { score: scoreOf(checks), authentication, checks, timeline };
}
