/**
 * Calls each listener with `value`, isolated from each other: one that throws
 * is reported to `onError` and the rest still run. It walks a copy, so a
 * listener added meanwhile waits for the next value, while one removed
 * meanwhile is skipped: once unsubscribe returns, it is never called again.
 */
export function notifyEach<T>(listeners: ReadonlySet<(value: T) => void>, value: T, onError?: (error: unknown) => void): void {
  for (const listener of [...listeners]) {
    if (!listeners.has(listener)) continue;
    try {
      listener(value);
    } catch (error) {
      onError?.(error);
    }
  }
}
