import { open, type Database, type RootDatabase } from 'lmdb';
import type { Envelope, IntakeSession, MessageHead } from '../message.js';

/**
 * The LMDB environment of a data directory: `copies` holds one record per
 * inbox copy (its head and the key of its delivery), `deliveries` one per
 * delivery (envelope and sender) and `raws` its bytes, under the same key,
 * stored once however many recipients share them. Records are MessagePack,
 * LMDB's default encoding; bytes are stored as they are, since packing them
 * cost the main thread three times as much.
 */
export interface MailDb {
  env: RootDatabase;
  copies: Database<unknown, string>;
  deliveries: Database<unknown, string>;
  raws: Database<Buffer, string>;
}

/** What a copy's record holds: its head without the id (the record's key), and its delivery's key. */
export interface CopyValue {
  inbox: string;
  tag: string | null;
  receivedAt: number;
  expiresAt: number;
  size: number;
  delivery: string;
}

/** What a delivery's record holds; its bytes are in `raws`. */
export interface DeliveryValue {
  envelope: Envelope;
  sender: string;
}

/** A record that is not what this version writes: the data directory is damaged. */
export class DamagedRecordError extends Error {
  override readonly name = 'DamagedRecordError';
}

/** The environment's file in the data directory; LMDB keeps its lock file beside it (`mail.mdb-lock`). */
export const MAIL_DB_FILE = 'mail.mdb';

// Pages of 64 KB (LMDB's largest) hold a typical message within a page instead of
// a run of overflow pages: writing 10 KB messages cost half the CPU of 4 KB pages.
// The size is fixed when the file is made; a file made with another keeps its own.
const PAGE_SIZE = 65_536;

/** Opens (or creates) the environment at `path`. */
export function openMailDb(path: string): MailDb {
  // One file rather than a folder of its own; the data directory is the folder.
  const env = open<unknown, string>({ path, noSubdir: true, pageSize: PAGE_SIZE });
  return {
    env,
    copies: env.openDB<unknown, string>({ name: 'copies' }),
    deliveries: env.openDB<unknown, string>({ name: 'deliveries' }),
    raws: env.openDB<Buffer, string>({ name: 'raws', encoding: 'binary' }),
  };
}

/** The record of `head`, a copy of the delivery filed under `delivery`. */
export function copyValue(head: MessageHead, delivery: string): CopyValue {
  return { inbox: head.inbox, tag: head.tag, receivedAt: head.receivedAt, expiresAt: head.expiresAt, size: head.size, delivery };
}

/** The head and delivery key in a copy record; throws DamagedRecordError for anything else. */
export function readCopy(id: string, value: unknown): { head: MessageHead; delivery: string } {
  if (!isRecord(value)) throw damaged('copy', id);
  const { inbox, tag, receivedAt, expiresAt, size, delivery } = value;
  if (typeof inbox !== 'string' || (tag !== null && typeof tag !== 'string') || typeof delivery !== 'string'
    || !isTime(receivedAt) || !isTime(expiresAt) || !isTime(size)) throw damaged('copy', id);
  return { head: { id, inbox, tag, receivedAt, expiresAt, size }, delivery };
}

/** The envelope and sender in a delivery record; throws DamagedRecordError for anything else. */
export function readDelivery(key: string, value: unknown): DeliveryValue {
  if (!isRecord(value) || !isRecord(value.envelope) || typeof value.sender !== 'string') throw damaged('delivery', key);
  const { mailFrom, rcptTo, session } = value.envelope;
  if ((mailFrom !== null && typeof mailFrom !== 'string') || !Array.isArray(rcptTo) || !rcptTo.every((to) => typeof to === 'string')) {
    throw damaged('delivery', key);
  }
  const envelope: Envelope = { mailFrom, rcptTo };
  if (session !== undefined) envelope.session = readSession(key, session);
  return { envelope, sender: value.sender };
}

function readSession(key: string, session: unknown): IntakeSession {
  if (!isRecord(session)) throw damaged('delivery', key);
  const { clientIp, helo, tls, startedAt } = session;
  if (typeof clientIp !== 'string' || typeof helo !== 'string' || typeof tls !== 'boolean' || !isTime(startedAt)) throw damaged('delivery', key);
  return { clientIp, helo, tls, startedAt };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Times are milliseconds since the epoch, with the fraction the monotonic clock gives them.
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function damaged(kind: string, key: string): DamagedRecordError {
  return new DamagedRecordError(`the ${kind} record ${JSON.stringify(key.slice(0, 40))} is not one this version writes`);
}
