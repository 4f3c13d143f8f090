import { z } from 'zod';
import type { CopyNotes, MessageHead } from '../../store/store.js';
import { DIGEST_FORMAT, type MessageDigest } from './digest.js';

/**
 * Digests kept where every instance on one store finds them, so that a
 * message's digest is read once for all of them: by whichever needs it first.
 */
export interface DigestShelf {
  /** The digest kept for `head`'s bytes; undefined when none is, the copy has gone, or the note is not of this DIGEST_FORMAT. */
  take(head: MessageHead): Promise<MessageDigest | undefined>;
  /** Keeps `digest` for `head`'s bytes, for as long as the store keeps them. */
  keep(head: MessageHead, digest: MessageDigest): Promise<void>;
}

const mailbox = z.object({ name: z.string(), address: z.string() });

// Every field of a digest, so that a note cut short or written by other code
// is read afresh, never shown half; `satisfies` makes a field added to
// MessageDigest a type error here rather than a field missing from notes.
const digest = z.object({
  from: mailbox.nullable(),
  to: z.array(mailbox),
  toOmitted: z.number().int().nonnegative(),
  subject: z.string(),
  preview: z.string(),
  attachmentCount: z.number().int().nonnegative(),
  codes: z.array(z.string()),
  parseFailed: z.boolean(),
}) satisfies z.ZodType<MessageDigest>;

const note = z.object({ format: z.literal(DIGEST_FORMAT), digest });

/**
 * A shelf on the store's notes. Each note carries the DIGEST_FORMAT that
 * read it and is taken only by code of the same format: other code may read
 * a digest differently (a better code finder), and a listing must show what
 * this code would read. During a rolling upgrade that changes the format,
 * each side reads its own; releases of one format share their notes.
 */
export function createDigestShelf(notes: CopyNotes): DigestShelf {
  return {
    async take(head) {
      const kept = await notes.noteOf(head.inbox, head.id);
      if (kept === undefined) return undefined;
      const parsed = note.safeParse(parseJson(kept));
      return parsed.success ? parsed.data.digest : undefined;
    },
    async keep(head, digest) {
      await notes.keepNote(head.inbox, head.id, digestNote(digest));
    },
  };
}

/** The note a shelf keeps for `digest`: at most MAX_NOTE_BYTES however long the sender made its fields (test/mail/summary-size.test.ts). */
export function digestNote(digest: MessageDigest): string {
  return JSON.stringify({ format: DIGEST_FORMAT, digest });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
