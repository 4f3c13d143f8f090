import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The Lua scripts of the Redis store. Everything that changes more than one
 * key runs as one script, so Redis applies it atomically: two instances can
 * never both evict for the same free slot, double-count bytes, or both
 * announce one expiry. Events are PUBLISHed inside the script that caused
 * them, so each is published exactly once and in the order of the changes.
 *
 * Every script gets the fixed keys of `scriptKeys()` as KEYS[1..10] and the
 * key prefix as ARGV[1]; per-message keys are built from the prefix, which is
 * why the store needs a standalone Redis rather than a cluster.
 */

/** How many ARGV values each inbox copy takes in the add script. */
const RECORD_FIELDS = 7;

const PRELUDE = `
local index, refs, arrival, expiry, bytesKey, seqKey, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local senders, inboxBytes, attributed = KEYS[8], KEYS[9], KEYS[10]
local prefix = ARGV[1]

local function number(key)
  return tonumber(redis.call('GET', key) or '0')
end

-- Counts bytes against a sender and an inbox; release deletes each count as it reaches zero, so none lingers.
local function charge(sender, inbox, senderBytes, inboxCost)
  redis.call('ZINCRBY', senders, senderBytes, sender)
  redis.call('INCRBY', attributed, senderBytes)
  redis.call('HINCRBY', inboxBytes, inbox, inboxCost)
end

local function release(sender, inbox, senderBytes, inboxCost)
  if tonumber(redis.call('ZINCRBY', senders, -senderBytes, sender)) <= 0 then redis.call('ZREM', senders, sender) end
  if redis.call('DECRBY', attributed, senderBytes) <= 0 then redis.call('DEL', attributed) end
  if redis.call('HINCRBY', inboxBytes, inbox, -inboxCost) <= 0 then redis.call('HDEL', inboxBytes, inbox) end
end

-- Removes one inbox copy and whatever only it held, then says why on the channel.
-- The index entry, not the message hash, drives it: the hash may already be gone to its PEXPIRE backstop.
local function remove(id, reason)
  local meta = redis.call('HGET', index, id)
  if not meta then return false end
  local m = cjson.decode(meta)
  redis.call('HDEL', index, id)
  redis.call('ZREM', prefix .. 'inbox:' .. m.inbox, id)
  redis.call('ZREM', arrival, id)
  redis.call('ZREM', expiry, id)
  redis.call('DEL', prefix .. 'msg:' .. id)
  local freed = m.cost
  if redis.call('HINCRBY', refs, m.blob, -1) <= 0 then
    redis.call('HDEL', refs, m.blob)
    redis.call('DEL', prefix .. 'raw:' .. m.blob, prefix .. 'note:' .. m.blob)
    freed = freed + m.blobCost
  end
  redis.call('DECRBY', bytesKey, freed)
  -- A copy stored before senders were counted has no sender, and no part in the counts.
  if m.sender then
    redis.call('ZREM', prefix .. 'sent:' .. m.sender, id)
    release(m.sender, m.inbox, freed, m.cost + m.blobCost)
  end
  redis.call('PUBLISH', channel, cjson.encode({type = reason, inbox = m.inbox, id = id}))
  return true
end

-- Removes the oldest copies of an inbox while it is at its count limit or incoming bytes would take it over its share.
local function makeRoomInInbox(inbox, incoming, inboxLimit, share)
  local inboxKey = prefix .. 'inbox:' .. inbox
  while redis.call('ZCARD', inboxKey) >= inboxLimit
    or (share and tonumber(redis.call('HGET', inboxBytes, inbox) or '0') + incoming > share) do
    local oldest = redis.call('ZRANGE', inboxKey, 0, 0)[1]
    if not oldest then break end
    if not remove(oldest, 'evicted') then redis.call('ZREM', inboxKey, oldest) end
  end
end

-- The copy to evict next from a store over its budget, and the set it was found in: the oldest copy
-- of whoever holds the most bytes, so a flood evicts its own mail first. Copies stored before senders
-- were counted belong to one unknown sender holding what no sender accounts for; they arrived before
-- any counted copy, so its oldest is the oldest overall.
local function evictionCandidate()
  local top = redis.call('ZREVRANGE', senders, 0, 0, 'WITHSCORES')
  local unknown = number(bytesKey) - number(attributed)
  if top[1] and tonumber(top[2]) >= unknown then
    local sent = prefix .. 'sent:' .. top[1]
    local oldest = redis.call('ZRANGE', sent, 0, 0)[1]
    if oldest then return oldest, sent end
  end
  return redis.call('ZRANGE', arrival, 0, 0)[1], arrival
end

-- Removes up to limit copies whose expiresAt is before now. A stray id without
-- an index entry is dropped too, or the sweeper would find it again forever.
local function sweep(now, limit)
  local ids = redis.call('ZRANGEBYSCORE', expiry, '-inf', '(' .. now, 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do
    if not remove(id, 'expired') then redis.call('ZREM', expiry, id) end
  end
  return #ids
end

local function isLive(id, now)
  local score = redis.call('ZSCORE', expiry, id)
  return score ~= false and tonumber(score) >= tonumber(now)
end

-- Lengthens a key's life to at least ms; the backstop that outlives no sweeper by much.
local function extend(key, ms)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, ms) end
end
`;

// ARGV: prefix, now, inboxLimit, memoryLimit, share ('' for none), backstopMs, blob, raw, rawCost, envelope,
// sender, needed (bytes the delivery adds), count, then RECORD_FIELDS values per inbox copy:
// id, inbox, expiresAt, cost, head, meta, event.
// Returns {'stored'}, or {'over_share', held, share} when the sender has no room left for it.
const ADD = `
local now, inboxLimit, memoryLimit, share, backstop = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local blob, rawCost, envelope, sender, needed, count = ARGV[7], tonumber(ARGV[9]), ARGV[10], ARGV[11], tonumber(ARGV[12]), tonumber(ARGV[13])
local FIRST_COPY = 14
-- A call retried after a lost reply must not store the message twice.
if redis.call('HEXISTS', index, ARGV[FIRST_COPY]) == 1 then return {'stored'} end
-- Expired copies leave first, so the share, the cap and the budget below count only live mail.
sweep(now, 100)
local held = tonumber(redis.call('ZSCORE', senders, sender) or '0')
if share and held + needed > share then return {'over_share', held, share} end
redis.call('SET', prefix .. 'raw:' .. blob, ARGV[8], 'PX', backstop)
redis.call('HSET', refs, blob, count)
redis.call('INCRBY', bytesKey, rawCost)
local sent = prefix .. 'sent:' .. sender
local events = {}
for i = 0, count - 1 do
  local at = FIRST_COPY + i * ${RECORD_FIELDS}
  local id, inbox, expiresAt, cost = ARGV[at], ARGV[at + 1], ARGV[at + 2], tonumber(ARGV[at + 3])
  makeRoomInInbox(inbox, cost + rawCost, inboxLimit, share)
  local inboxKey = prefix .. 'inbox:' .. inbox
  local seq = redis.call('INCR', seqKey)
  local messageKey = prefix .. 'msg:' .. id
  redis.call('HSET', messageKey, 'head', ARGV[at + 4], 'envelope', envelope)
  redis.call('PEXPIRE', messageKey, backstop)
  redis.call('HSET', index, id, ARGV[at + 5])
  redis.call('ZADD', inboxKey, seq, id)
  redis.call('ZADD', arrival, seq, id)
  redis.call('ZADD', expiry, expiresAt, id)
  redis.call('ZADD', sent, seq, id)
  redis.call('INCRBY', bytesKey, cost)
  -- The sender is charged the raw bytes once, with its first copy; each inbox is charged them in full.
  charge(sender, inbox, i == 0 and cost + rawCost or cost, cost + rawCost)
  extend(inboxKey, backstop)
  events[#events + 1] = {id, ARGV[at + 6]}
end
extend(sent, backstop)
while number(bytesKey) > memoryLimit do
  local oldest, from = evictionCandidate()
  if not oldest then break end
  if not remove(oldest, 'evicted') then redis.call('ZREM', from, oldest) end
end
for _, key in ipairs({index, refs, arrival, expiry, bytesKey, seqKey, senders, inboxBytes, attributed}) do extend(key, backstop) end
-- A copy the budget evicted again at once was announced as evicted; it is not announced as new.
for _, event in ipairs(events) do
  if redis.call('HEXISTS', index, event[1]) == 1 then redis.call('PUBLISH', channel, event[2]) end
end
return {'stored'}
`;

// ARGV: prefix, now, limit. Returns {removed, next expiresAt or nil}.
const SWEEP = `
local removed = sweep(ARGV[2], tonumber(ARGV[3]))
local oldest = redis.call('ZRANGE', expiry, 0, 0, 'WITHSCORES')
return {removed, oldest[2] or false}
`;

// ARGV: prefix, now, inbox, id. Returns 1 when a live copy was deleted.
const DELETE = `
local meta = redis.call('HGET', index, ARGV[4])
if not meta or cjson.decode(meta).inbox ~= ARGV[3] then return 0 end
if not isLive(ARGV[4], ARGV[2]) then
  remove(ARGV[4], 'expired')
  return 0
end
remove(ARGV[4], 'deleted')
return 1
`;

// ARGV: prefix, now, inbox. Returns how many live copies were deleted; oldest first, like the memory store.
const DELETE_INBOX = `
local inboxKey = prefix .. 'inbox:' .. ARGV[3]
local count = 0
for _, id in ipairs(redis.call('ZRANGE', inboxKey, 0, -1)) do
  local live = isLive(id, ARGV[2])
  if remove(id, live and 'deleted' or 'expired') and live then count = count + 1 end
end
redis.call('DEL', inboxKey)
return count
`;

// Copies stored by Ephemail 0.1 keep their head inside a 'summary' field
// (the head with the digest); read so, they stay listed until they expire.
const HEAD_OF = `
local function headOf(id)
  local fields = redis.call('HMGET', prefix .. 'msg:' .. id, 'head', 'summary')
  return fields[1] or fields[2]
end
`;

// ARGV: prefix, inbox. Heads newest first; the raw bytes are never touched.
const LIST = `${HEAD_OF}
local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', prefix .. 'inbox:' .. ARGV[2], 0, -1)) do
  local head = headOf(id)
  if head then out[#out + 1] = head end
end
return out
`;

// ARGV: prefix, inbox, id. Returns {head, envelope, raw}, or nil when the id is not in that inbox.
const GET = `${HEAD_OF}
local meta = redis.call('HGET', index, ARGV[3])
if not meta then return false end
local m = cjson.decode(meta)
if m.inbox ~= ARGV[2] then return false end
local head = headOf(ARGV[3])
local envelope = redis.call('HGET', prefix .. 'msg:' .. ARGV[3], 'envelope')
local raw = redis.call('GET', prefix .. 'raw:' .. m.blob)
if not head or not envelope or not raw then return false end
return {head, envelope, raw}
`;

// ARGV: prefix, now, inbox, id. Returns the note on the copy's bytes, or nil when none or the copy is not live in that inbox.
const NOTE_OF = `
local meta = redis.call('HGET', index, ARGV[4])
if not meta then return false end
local m = cjson.decode(meta)
if m.inbox ~= ARGV[3] or not isLive(ARGV[4], ARGV[2]) then return false end
return redis.call('GET', prefix .. 'note:' .. m.blob)
`;

// ARGV: prefix, inbox, id, note. Returns 1 when kept. The note takes the bytes' remaining life, so
// their PEXPIRE backstop drops both together; a copy already removed gets none, so none outlives its bytes.
const KEEP_NOTE = `
local meta = redis.call('HGET', index, ARGV[3])
if not meta then return 0 end
local m = cjson.decode(meta)
if m.inbox ~= ARGV[2] then return 0 end
local life = redis.call('PTTL', prefix .. 'raw:' .. m.blob)
if life <= 0 then return 0 end
redis.call('SET', prefix .. 'note:' .. m.blob, ARGV[4], 'PX', life)
return 1
`;

/** One script: its source with the prelude, and the SHA1 Redis caches it under. */
export interface RedisScript {
  lua: string;
  sha: string;
}

function script(body: string): RedisScript {
  const lua = PRELUDE + body;
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** The store's scripts, by what they do. */
export const SCRIPTS = {
  add: script(ADD),
  sweep: script(SWEEP),
  delete: script(DELETE),
  deleteInbox: script(DELETE_INBOX),
  list: script(LIST),
  get: script(GET),
  noteOf: script(NOTE_OF),
  keepNote: script(KEEP_NOTE),
} as const;

/**
 * Runs a script by its SHA, sending the source only when this Redis has not
 * cached it yet (after a restart, for instance). `buffers` returns bulk
 * replies as Buffers, which raw message bytes need.
 */
export async function runScript(
  redis: Redis, which: RedisScript, keys: readonly string[], args: ReadonlyArray<string | number | Buffer>, buffers = false,
): Promise<unknown> {
  const call = (command: string, head: string) => {
    const argv: Array<string | number | Buffer> = [head, keys.length, ...keys, ...args];
    return buffers ? redis.callBuffer(command, argv) : redis.call(command, argv);
  };
  try {
    return await call('EVALSHA', which.sha);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
    return call('EVAL', which.lua);
  }
}
