/**
 * Readers for the value kinds that options take. Each returns the value or
 * throws an `InvalidValue` whose message says what was expected; config.ts
 * adds the option's name and the offending text.
 */
export class InvalidValue extends Error {
  override readonly name = 'InvalidValue';
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "90s", "10m", "1h", "2d" (and "500ms") -> milliseconds. */
export function readDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/i.exec(text.trim());
  const unit = match?.[2] ? DURATION_UNITS[match[2].toLowerCase()] : undefined;
  if (!match?.[1] || unit === undefined) throw new InvalidValue('is not a duration; use 90s, 10m, 1h or 2d');
  const ms = Math.round(Number(match[1]) * unit);
  if (ms <= 0) throw new InvalidValue('must be longer than zero; use 90s, 10m, 1h or 2d');
  if (!Number.isSafeInteger(ms)) throw new InvalidValue('is too long; use 90s, 10m, 1h or 2d');
  return ms;
}

/** How long to wait, as the wait route and `ephemail wait` read it: seconds ("30", "2.5") or a duration ("500ms", "2m") -> milliseconds. */
export function readWaitTime(text: string): number {
  return /^\d+(\.\d+)?$/.test(text.trim()) ? readDuration(`${text.trim()}s`) : readDuration(text);
}

/** "10MB", "512KB", "1GB" or a plain byte count -> bytes (binary units: 1 KB = 1024 bytes). */
export function readSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? 'b').toLowerCase()];
  if (!match?.[1] || unit === undefined) throw new InvalidValue('is not a size; use a byte count or 512KB, 10MB, 1GB');
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes <= 0) throw new InvalidValue('must be larger than zero; use a byte count or 512KB, 10MB, 1GB');
  // SMTP's SIZE keyword (and the arithmetic on it) needs a plain integer, not 1e+29.
  if (!Number.isSafeInteger(bytes)) throw new InvalidValue('is too large; use a byte count or 512KB, 10MB, 1GB');
  return bytes;
}

/** "50%" or "50" -> 50: a percentage above 0 and at most 100. */
export function readPercent(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text.trim());
  const percent = match?.[1] === undefined ? NaN : Number(match[1]);
  if (!(percent > 0 && percent <= 100)) throw new InvalidValue('is not a percentage; use a number above 0 and at most 100, such as 50%');
  return percent;
}

/** A TCP port; 0 asks the system for a free one. */
export function readPort(text: string): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidValue('is not a port; use a whole number from 0 to 65535 (0 picks a free port)');
  }
  return port;
}

/** A whole number of at least `min`. */
export function readCount(text: string, min = 1): number {
  const count = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(count) || count < min) {
    throw new InvalidValue(`is not a whole number of at least ${min}`);
  }
  return count;
}

/** "true" or "false" (also yes/no, on/off) -> a boolean. */
export function readSwitch(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (['true', 'yes', 'on'].includes(value)) return true;
  if (['false', 'no', 'off'].includes(value)) return false;
  throw new InvalidValue('is not a switch; use true or false');
}

/** Formats milliseconds the way durations are written on the command line (90s, 10m, 500ms). */
export function formatDuration(ms: number): string {
  for (const [unit, factor] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= factor && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return ms > 1_000 ? `${(ms / 1_000).toFixed(1)}s` : `${ms}ms`;
}

/** Formats bytes the way sizes are written on the command line. */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes} bytes`;
}
