import { z } from 'zod';
import type { CopyNotes, MessageHead } from '../../store/store.js';
import type { MessageDigest } from './digest.js';

/**
 * Digests kept where every instance on one store finds them, so that a
 * message's digest is read once for all of them: by whichever needs it first.
 */
export interface DigestShelf {
  /** The digest kept for `head`'s bytes; undefined when none is, the copy has gone, or the note is not one this version wrote. */
  take(head: MessageHead): Promise<MessageDigest | undefined>;
  /** Keeps `digest` for `head`'s bytes, for as long as the store keeps them. */
  keep(head: MessageHead, digest: MessageDigest): Promise<void>;
}

const mailbox = z.object({ name: z.string(), address: z.string() });

// What a note must hold to be taken: every field of a digest, so that a note
// cut short or written by other code is read afresh, never shown half.
const note = z.object({
  version: z.string(),
  digest: z.object({
    from: mailbox.nullable(),
    to: z.array(mailbox),
    toOmitted: z.number().int().nonnegative(),
    subject: z.string(),
    preview: z.string(),
    attachmentCount: z.number().int().nonnegative(),
    codes: z.array(z.string()),
    parseFailed: z.boolean(),
  }),
});

/**
 * A shelf on the store's notes. Each note carries the version that wrote it
 * and is taken only by the same one: another release may read a digest
 * differently (a better code finder), and a listing must show what this
 * version would read. During a rolling upgrade the versions each read their own.
 */
export function createDigestShelf(notes: CopyNotes, version: string): DigestShelf {
  return {
    async take(head) {
      const kept = await notes.noteOf(head.inbox, head.id);
      if (kept === undefined) return undefined;
      const parsed = note.safeParse(parseJson(kept));
      return parsed.success && parsed.data.version === version ? parsed.data.digest : undefined;
    },
    async keep(head, digest) {
      await notes.keepNote(head.inbox, head.id, digestNote(digest, version));
    },
  };
}

/** The note a shelf keeps for `digest`: at most MAX_NOTE_BYTES however long the sender made its fields (test/mail/summary-size.test.ts). */
export function digestNote(digest: MessageDigest, version: string): string {
  return JSON.stringify({ version, digest });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
