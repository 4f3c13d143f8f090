import { defineConfig } from 'vitest/config';

/**
 * Everything but the load tests. Files run in parallel; the load tests
 * (vitest.load.config.ts) hold the wall-clock budgets, so they run
 * afterwards, one file at a time, with the machine to themselves.
 */
export const LOAD_TESTS = ['test/smtp-hostile/**/*.test.ts', 'test/load/**/*.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', ...LOAD_TESTS],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Conditions are polled rather than slept for; on a busy machine they may take seconds to come true.
    expect: { poll: { timeout: 10_000 } },
  },
});
