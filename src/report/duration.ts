/**
 * Durations in the words a report's sentences use: "40 s", "14 minutes",
 * "2 h 5 min", "3 days 4 h". Precision drops as the duration grows, because
 * nobody reading "2 h 5 min" wants its seconds.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration of `seconds` (its sign ignored) in human units. */
export function humanDuration(seconds: number): string {
  const total = Math.round(Math.abs(seconds));
  if (total < MINUTE) return `${total} s`;
  if (total < HOUR) {
    const minutes = Math.round(total / MINUTE);
    // 59.5 minutes and over round to an hour, which the hour form says better.
    if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  }
  if (total < DAY) {
    const minutes = Math.round(total / MINUTE);
    return withRest(Math.floor(minutes / 60), 'h', minutes % 60, 'min');
  }
  const hours = Math.round(total / HOUR);
  const days = Math.floor(hours / 24);
  return withRest(days, days === 1 ? 'day' : 'days', hours % 24, 'h');
}

function withRest(whole: number, wholeUnit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${whole} ${wholeUnit}` : `${whole} ${wholeUnit} ${rest} ${restUnit}`;
}
