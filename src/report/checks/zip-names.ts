/**
 * The file names inside a ZIP archive, read from its central directory
 * without unpacking anything: an executable in an archive is as risky as
 * one attached as it is.
 */

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const END_RECORD_BYTES = 22;
// The end record may be followed by a comment of up to 65,535 bytes.
const END_SEARCH_BYTES = END_RECORD_BYTES + 0xffff;
const ENTRY_BYTES = 46;
/** Names read at most, so a forged directory cannot make the read long. */
export const MAX_ZIP_NAMES = 1000;

/** The names in `zip`'s central directory (at most MAX_ZIP_NAMES), or none when it has no readable one. */
export function zipEntryNames(zip: Buffer): string[] {
  const end = findEndRecord(zip);
  if (end === null) return [];
  const count = Math.min(zip.readUInt16LE(end + 10), MAX_ZIP_NAMES);
  const names: string[] = [];
  let offset = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count && offset + ENTRY_BYTES <= zip.length && zip.readUInt32LE(offset) === DIRECTORY_ENTRY; i++) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const skip = zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + ENTRY_BYTES, Math.min(zip.length, offset + ENTRY_BYTES + nameLength)));
    offset += ENTRY_BYTES + nameLength + skip;
  }
  return names;
}

// The end record is the last thing in the file but for its comment, so it is
// looked for from the end backwards.
function findEndRecord(zip: Buffer): number | null {
  const lowest = Math.max(0, zip.length - END_SEARCH_BYTES);
  for (let at = zip.length - END_RECORD_BYTES; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return null;
}
