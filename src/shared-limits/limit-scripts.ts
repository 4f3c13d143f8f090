import type { Redis } from 'ioredis';

/**
 * The token bucket of rate-limit.ts, kept in a hash per client so that every
 * instance spends from the same one. Time comes from the caller's clock; the
 * bucket keeps the latest time it has seen, so an instance whose clock steps
 * back, or lags another's, neither drains a bucket nor refills it twice. The
 * key expires once the bucket would be full again: absent and full are the
 * same, so Redis holds buckets of active clients only.
 *
 * KEYS[1]: the bucket. ARGV: now (ms), burst, tokens per ms.
 * Returns {1} when a token was taken, {0, whole seconds until one is there}
 * when not; a refused take changes nothing.
 */
const TAKE_TOKEN = `
local now = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local perMs = tonumber(ARGV[3])
local tokens = burst
local at = now
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if stored[1] then
  local seen = tonumber(stored[2])
  tokens = math.min(burst, tonumber(stored[1]) + math.max(0, now - seen) * perMs)
  at = math.max(now, seen)
end
if tokens < 1 then
  return {0, math.max(1, math.ceil((1 - tokens) / perMs / 1000))}
end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.ceil((at - now) + (burst - tokens) / perMs) + 1)
return {1}
`;

/**
 * Slots as leases in a sorted set per client: member = instance and slot,
 * score = when the lease ends. Leases that ended are dropped first, so the
 * slots of an instance that crashed free themselves once their leases run
 * out; the key itself expires with its last lease. Times are in Redis's
 * clock as each instance measured it (redis-limits.ts), so one whose own
 * clock runs ahead does not drop the others' live leases.
 *
 * KEYS[1]: the client's leases. ARGV: now (ms), most per client, member,
 * lease end (ms), lease length (ms). Returns 1 when taken, 0 when full.
 */
const TAKE_SLOT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

/** The scripts as commands of one connection; ioredis sends each by its SHA and its source only when Redis lacks it. */
export interface LimitCommands {
  takeToken(key: string, now: number, burst: number, tokensPerMs: number): Promise<[1] | [0, number]>;
  takeSlot(key: string, now: number, perClient: number, member: string, leaseEnd: number, leaseMs: number): Promise<0 | 1>;
}

/** Defines the limit scripts on `redis` and returns them typed. */
export function defineLimitCommands(redis: Redis): LimitCommands {
  redis.defineCommand('ephemailTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
  redis.defineCommand('ephemailTakeSlot', { numberOfKeys: 1, lua: TAKE_SLOT });
  // defineCommand adds methods ioredis's types cannot know of.
  const commands = redis as unknown as {
    ephemailTakeToken: LimitCommands['takeToken'];
    ephemailTakeSlot: LimitCommands['takeSlot'];
  };
  return {
    takeToken: (...args) => commands.ephemailTakeToken(...args),
    takeSlot: (...args) => commands.ephemailTakeSlot(...args),
  };
}
