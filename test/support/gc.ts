/** The full collection vitest.config.ts exposes (`--expose-gc` in its execArgv), for tests that measure memory or time. */
export function exposedGc(): () => void {
  if (globalThis.gc === undefined) throw new Error('globalThis.gc is missing: run the tests through vitest.config.ts, which starts them with --expose-gc');
  return globalThis.gc;
}
