import { accessSync, chmodSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data directory itself: made private to this user, marked with the
 * format it holds, and refused with one sentence when it cannot be used.
 */

/** The format this version writes and reads; a directory marked with a later one was written by a newer Ephemail. */
const DATA_FORMAT = 1;
/** The file that marks a directory as Ephemail's and names its format. */
const MARKER_FILE = 'ephemail-data.json';

/**
 * Why a data directory cannot be used, as one sentence naming it.
 * `resettable` when it is Ephemail's and moving it aside and starting empty
 * would help (it is damaged, or newer), rather than its path being unusable
 * or the directory someone else's, which is never moved.
 */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';

  constructor(message: string, readonly resettable: boolean) {
    super(message);
  }
}

/** The one sentence for `problem` of the directory at `path`. */
export function dataDirError(path: string, problem: string, resettable: boolean): DataDirError {
  return new DataDirError(`the data directory ${path} ${problem}`, resettable);
}

/**
 * Makes `path` ready to hold mail: created if missing, a directory, writable,
 * mode 0700 (mail in it is readable by whoever has the address, so nobody
 * else may read the files), and marked with this format. Throws a
 * DataDirError when it cannot be.
 */
export function prepareDataDir(path: string): void {
  const kind = pathKind(path);
  if (kind === 'missing') makeDirectory(path);
  else if (kind === 'other') throw dataDirError(path, 'is not a directory; name a directory, or a path where one can be made', false);
  checkWritable(path);
  // Before anything changes: a mistyped path (a home directory, a volume's root with lost+found) is refused as it is.
  checkMarker(path);
  try {
    chmodSync(path, 0o700);
  } catch (error) {
    throw dataDirError(path, `cannot be made private to this user (${codeOf(error)}); make it belong to the user Ephemail runs as`, false);
  }
}

/**
 * Present while a start reads the directory back. LMDB crashes the process
 * on a damaged page rather than failing, so a start that finds it left
 * behind knows the one before it died reading, and says so instead of
 * crashing again.
 */
const READING_FILE = 'reading';

/** Marks the directory as being read; throws if a start before this one died reading it. */
export function beginReading(path: string): void {
  const marker = join(path, READING_FILE);
  if (existsSync(marker)) {
    throw dataDirError(path, `could not be read by the start before this one, which stopped while reading it (crashed on a damaged file, or was killed); delete ${marker} to try again`, true);
  }
  writeFileSync(marker, '', { mode: 0o600 });
}

/** Removes the mark of `beginReading`: the directory was read, or refused with a sentence. */
export function endReading(path: string): void {
  rmSync(join(path, READING_FILE), { force: true });
}

/** Makes `file`, a file of the data directory, readable by this user only. */
export function makePrivate(file: string): void {
  chmodSync(file, 0o600);
}

/** Renames the directory at `path` to one beside it stamped with `now`, and returns that name; nothing is deleted. */
export function moveAside(path: string, now: number): string {
  // To the millisecond, so two resets within a second do not collide.
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '');
  const aside = `${path}.unusable-${stamp}`;
  renameSync(path, aside);
  return aside;
}

function pathKind(path: string): 'missing' | 'directory' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return 'missing';
    throw unreachable(path, error);
  }
}

function makeDirectory(path: string): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw unreachable(path, error);
  }
}

function unreachable(path: string, error: unknown): DataDirError {
  const code = codeOf(error);
  if (code === 'ENOTDIR') return dataDirError(path, 'cannot be made: a part of its path is a file (ENOTDIR); name a path under a directory', false);
  return dataDirError(path, `cannot be made or read (${code}); name a path this user may write to`, false);
}

function checkWritable(path: string): void {
  try {
    accessSync(path, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw dataDirError(path, `is not writable by this user (${codeOf(error)}); let the user Ephemail runs as write to it, or name another`, false);
  }
}

/** Marks an empty directory; checks the marker of a used one. */
function checkMarker(path: string): void {
  const marker = join(path, MARKER_FILE);
  let text: string;
  try {
    text = readFileSync(marker, 'utf8');
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw dataDirError(path, `has a ${MARKER_FILE} that cannot be read (${codeOf(error)})`, true);
    if (readdirSync(path).length > 0) {
      // Never resettable: moving a directory that is not ours would move someone's files, or fail on a mount point.
      throw dataDirError(path, `has files but no ${MARKER_FILE}, so it is not an Ephemail data directory; name an empty or new directory (on a mounted volume, a directory inside it)`, false);
    }
    writeFileSync(marker, `${JSON.stringify({ format: DATA_FORMAT })}\n`, { mode: 0o600 });
    return;
  }
  const format = formatIn(text);
  if (format === null) throw dataDirError(path, `is damaged: its ${MARKER_FILE} does not name a data format`, true);
  if (format > DATA_FORMAT) {
    throw dataDirError(path, `was written by a newer Ephemail (data format ${format}; this version reads ${DATA_FORMAT}); run that version, or a newer one`, true);
  }
}

function formatIn(text: string): number | null {
  try {
    const parsed: unknown = JSON.parse(text);
    const format = typeof parsed === 'object' && parsed !== null ? (parsed as { format?: unknown }).format : undefined;
    return typeof format === 'number' && Number.isSafeInteger(format) && format >= 1 ? format : null;
  } catch {
    return null;
  }
}

/** The error code of a failed system call, for a sentence. */
export function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? (error instanceof Error ? error.message : String(error));
}
