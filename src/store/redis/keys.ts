/**
 * Every Redis key and channel the Redis store uses, in one place. With the
 * default prefix `ephemail:` the schema is:
 *
 * | key                    | type   | holds                                                        |
 * |------------------------|--------|--------------------------------------------------------------|
 * | ephemail:msg:{id}      | hash   | `head` (JSON) and `envelope` (JSON) of one inbox copy        |
 * | ephemail:raw:{blob}    | string | the raw message bytes, once for all of its recipients        |
 * | ephemail:note:{blob}   | string | an opaque note on those bytes (CopyNotes), gone with them    |
 * | ephemail:refs          | hash   | blob -> how many inbox copies still point at it              |
 * | ephemail:index         | hash   | id -> JSON {inbox, blob, blobCost, cost, sender} for removal |
 * | ephemail:inbox:{inbox} | zset   | ids of one inbox, scored by arrival sequence                 |
 * | ephemail:sent:{sender} | zset   | ids one sender stored, scored by arrival sequence            |
 * | ephemail:arrival       | zset   | every id, scored by arrival sequence                         |
 * | ephemail:expiry        | zset   | every id, scored by expiresAt in ms (the sweeper's queue)    |
 * | ephemail:bytes         | string | bytes counted against --memory-limit                         |
 * | ephemail:senders       | zset   | sender -> bytes it holds (its share; who is evicted first)   |
 * | ephemail:inbox-bytes   | hash   | inbox -> bytes it holds (its share)                          |
 * | ephemail:attributed    | string | bytes some sender holds; the rest was stored before senders  |
 * | ephemail:seq           | string | the arrival sequence counter                                 |
 * | ephemail:events        | pubsub | JSON store events for every instance                         |
 *
 * Scripts build the per-message keys from the prefix themselves, so the
 * store needs a standalone Redis, not Redis Cluster.
 */
export interface RedisKeys {
  prefix: string;
  refs: string;
  index: string;
  arrival: string;
  expiry: string;
  bytes: string;
  seq: string;
  events: string;
  senders: string;
  inboxBytes: string;
  attributed: string;
  message(id: string): string;
  raw(blob: string): string;
  note(blob: string): string;
  inbox(inbox: string): string;
  sent(sender: string): string;
}

/** The default prefix; tests use their own so that stores on one Redis never meet. */
export const DEFAULT_KEY_PREFIX = 'ephemail:';

/** The key names under `prefix`. */
export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  return {
    prefix,
    refs: `${prefix}refs`,
    index: `${prefix}index`,
    arrival: `${prefix}arrival`,
    expiry: `${prefix}expiry`,
    bytes: `${prefix}bytes`,
    seq: `${prefix}seq`,
    events: `${prefix}events`,
    senders: `${prefix}senders`,
    inboxBytes: `${prefix}inbox-bytes`,
    attributed: `${prefix}attributed`,
    message: (id) => `${prefix}msg:${id}`,
    raw: (blob) => `${prefix}raw:${blob}`,
    note: (blob) => `${prefix}note:${blob}`,
    inbox: (inbox) => `${prefix}inbox:${inbox}`,
    sent: (sender) => `${prefix}sent:${sender}`,
  };
}

/**
 * The fixed keys in the order every script receives them as KEYS[1..10].
 * Keeping one order means the Lua prelude can name them once.
 */
export function scriptKeys(keys: RedisKeys): string[] {
  return [keys.index, keys.refs, keys.arrival, keys.expiry, keys.bytes, keys.seq, keys.events, keys.senders, keys.inboxBytes, keys.attributed];
}
