import { defineConfig } from 'vitest/config';

/**
 * The suite in four projects, chosen by folder so a test moved or added
 * within a folder lands in the right one:
 * - unit: pure logic, no sockets, no processes.
 * - integration: real servers on sockets, Redis, child processes, workers.
 * - browser: Chromium against a real server.
 * - load: delivery times under floods, so it runs last, one file at a time,
 *   with the machine to itself. The other three run in parallel before it.
 * `npx vitest run --project unit` runs one; `npx vitest run` runs them all.
 */
const UNIT = ['test/config', 'test/hub', 'test/mail', 'test/page', 'test/report', 'test/runtime', 'test/store'];
const BROWSER = ['test/browser'];
const LOAD = ['test/smtp-hostile', 'test/load'];

const testsIn = (folders: string[]) => folders.map((folder) => `${folder}/**/*.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on two cores (Vitest's default is one fewer than the cores): most
    // files wait on sockets, child processes and Chromium rather than compute. The load project
    // still runs its files one at a time.
    maxWorkers: 2,
    // Memory and speed checks collect garbage on demand (globalThis.gc).
    execArgv: ['--expose-gc'],
    // Conditions are polled rather than slept for; on a busy machine they may take seconds to come true.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      { extends: true, test: { name: 'unit', include: testsIn(UNIT) } },
      {
        extends: true,
        test: {
          name: 'integration',
          // Everything not claimed by another project, so a new folder is never left out.
          include: ['test/**/*.test.ts'],
          exclude: [...testsIn([...UNIT, ...BROWSER, ...LOAD]), 'test/bench/**'],
        },
      },
      { extends: true, test: { name: 'browser', include: testsIn(BROWSER) } },
      {
        extends: true,
        test: {
          name: 'load',
          include: testsIn(LOAD),
          testTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
