import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * A look at an LMDB file's two meta pages before LMDB opens it. LMDB keeps
 * no checksums and trusts its file: a file that is not one, or was cut
 * short, crashes the process that maps it (a segmentation fault, no
 * message). What this checks is what such files get wrong first.
 */

const MAGIC = 0xbeefc0de;
// The data version of the LMDB that lmdb-js builds in.
const DATA_VERSION = 2;
// Offsets in a meta page: after the page header, the meta's magic and version;
// the free list's record keeps the page size; then the last page used.
const MAGIC_AT = 24;
const VERSION_AT = 28;
const PAGE_SIZE_AT = 48;
const LAST_PAGE_AT = 144;
const LARGEST_PAGE = 65_536;

/** What is wrong with the LMDB file at `file`, or null when its meta pages look right (or it does not exist yet, or is empty). */
export function lmdbHeaderProblem(file: string): string | null {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : `cannot be read (${(error as NodeJS.ErrnoException).code})`;
  }
  try {
    const size = fstatSync(descriptor).size;
    if (size === 0) return null;
    const first = readAt(descriptor, 0, LARGEST_PAGE + LAST_PAGE_AT + 8);
    const pageSize = first.length >= PAGE_SIZE_AT + 4 ? first.readUInt32LE(PAGE_SIZE_AT) : 0;
    if (first.length < MAGIC_AT + 8 || first.readUInt32LE(MAGIC_AT) !== MAGIC) return 'is not an LMDB file';
    if (first.readUInt32LE(VERSION_AT) !== DATA_VERSION) return `is LMDB data version ${first.readUInt32LE(VERSION_AT)}, not ${DATA_VERSION}`;
    if (pageSize < 512 || pageSize > LARGEST_PAGE || (pageSize & (pageSize - 1)) !== 0) return 'has a damaged first meta page';
    if (first.length < pageSize + LAST_PAGE_AT + 8 || first.readUInt32LE(pageSize + MAGIC_AT) !== MAGIC) return 'has a damaged second meta page';
    const lastPage = Math.max(Number(first.readBigUInt64LE(LAST_PAGE_AT)), Number(first.readBigUInt64LE(pageSize + LAST_PAGE_AT)));
    if (size < (lastPage + 1) * pageSize) return `was cut short (${size} bytes, its pages need ${(lastPage + 1) * pageSize})`;
    return null;
  } finally {
    closeSync(descriptor);
  }
}

function readAt(descriptor: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(descriptor, buffer, 0, length, position);
  return buffer.subarray(0, read);
}
