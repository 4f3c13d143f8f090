import { readFileSync } from 'node:fs';

/**
 * Descriptors a process needs besides its listeners' connections: the
 * listening sockets, Redis, worker threads, log output, files the page serves.
 */
export const DESCRIPTORS_BESIDES_CONNECTIONS = 256;

/** The soft open-file limit (RLIMIT_NOFILE) of this process, or null where it cannot be read (not Linux) or there is none. */
export function openFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((text) => text.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}
