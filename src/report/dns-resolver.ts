import { Resolver } from 'node:dns/promises';
import { LRUCache } from 'lru-cache';

/** Where the report looks up SPF, DKIM and DMARC records (`--dns-servers`). */
export type DnsSettings =
  | { kind: 'system' }
  | { kind: 'servers'; servers: string[] }
  | { kind: 'off' };

/** How lookups are bounded. */
export interface DnsLimits {
  /** One query gives up after this long (one try: a report would rather say temperror than wait). */
  queryTimeoutMs: number;
  /** Queries in flight at once; more wait their turn. */
  maxInFlight: number;
  /** Answers kept, found and not found alike. */
  cacheEntries: number;
  /** How long an answer is kept. */
  cacheTtlMs: number;
}

/** mailauth's resolver: `dns.resolve` in shape, rejecting with an error whose `code` is a c-ares code. */
export type DnsLookup = (name: string, rrtype: string) => Promise<unknown>;

/** The error a lookup rejects with when the report has no time left for it; mailauth counts ETIMEOUT as temperror. */
class DnsTimeoutError extends Error {
  readonly code = 'ETIMEOUT';
  constructor(name: string) {
    super(`no DNS answer for ${name} in time`);
    this.name = 'DnsTimeoutError';
  }
}

// "No such name" and "no such record" are answers, as cacheable as records;
// anything else (timeout, refused, a garbled reply) may be gone next time.
const ANSWERS_THAT_LAST = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * A caching, bounded resolver on the configured servers. Identical lookups
 * in flight share one query; at most `maxInFlight` queries run at once.
 */
export function createDnsLookup(settings: Exclude<DnsSettings, { kind: 'off' }>, limits: DnsLimits): DnsLookup {
  const resolver = new Resolver({ timeout: limits.queryTimeoutMs, tries: 1 });
  if (settings.kind === 'servers') resolver.setServers(settings.servers);
  const answers = new LRUCache<string, Promise<unknown>>({ max: limits.cacheEntries, ttl: limits.cacheTtlMs });
  const turns = createTurns(limits.maxInFlight);

  return (name, rrtype) => {
    const key = `${rrtype} ${name.toLowerCase()}`;
    const known = answers.get(key);
    if (known !== undefined) return known;
    const answer = turns.run(() => resolver.resolve(name, rrtype));
    answer.catch((error: unknown) => {
      if (!ANSWERS_THAT_LAST.has(codeOf(error))) answers.delete(key);
    });
    answers.set(key, answer);
    return answer;
  };
}

/**
 * The lookup as one report may use it: every query after `deadline` (ms
 * since the epoch) fails at once, and none waits past it, so however many
 * lookups an SPF record chains and however slow the servers, the report
 * is done in bounded time.
 */
export function withDeadline(lookup: DnsLookup, deadline: number, now: () => number = Date.now): DnsLookup {
  return (name, rrtype) => {
    const left = deadline - now();
    if (left <= 0) return Promise.reject(new DnsTimeoutError(name));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DnsTimeoutError(name)), left);
    });
    return Promise.race([lookup(name, rrtype), late]).finally(() => clearTimeout(timer));
  };
}

/** The c-ares code of a lookup's error, or '' when it has none. */
export function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : '';
}

/** At most `limit` tasks at once, the rest in arrival order. */
function createTurns(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next();
  };
  return {
    /** Runs `task` when a turn is free; a finished task hands its turn straight to the next waiting one. */
    run<T>(task: () => Promise<T>): Promise<T> {
      const turn = new Promise<void>((start) => {
        if (running < limit) {
          running++;
          start();
        } else {
          waiting.push(start);
        }
      });
      return turn.then(() => task().finally(release));
    },
  };
}
