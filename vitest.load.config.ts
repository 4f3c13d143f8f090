import { defineConfig } from 'vitest/config';
import { LOAD_TESTS } from './vitest.config.js';

/** The load tests: timing assertions, so one file at a time after the rest of the suite. */
export default defineConfig({
  test: {
    include: LOAD_TESTS,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
