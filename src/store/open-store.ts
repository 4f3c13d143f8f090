import type { DataDirConfig, StoreConfig } from '../config/config.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import type { DataDirStatus } from '../runtime/metrics.js';
import type { DiskStore } from './disk/disk-store.js';
import { createMemoryStore, type MemoryStoreOptions } from './memory/memory-store.js';
import type { Store } from './store.js';

/** What opening a store needs besides its settings. */
export interface StoreDependencies {
  clock: Clock;
  log: Logger;
  onListenerError: (error: unknown) => void;
}

/**
 * The store --store names, kept in --data-dir when one is given; a Redis that
 * cannot be reached or a data directory that cannot be used fails the start
 * with one clear line.
 */
export async function openStore(config: StoreConfig, { clock, log, onListenerError }: StoreDependencies): Promise<{ store: Store; dataDir: DataDirStatus | null }> {
  const { backend, dataDir, ...limits } = config;
  const storeLog = log.child({ part: 'store' });
  if (backend.kind === 'memory' && dataDir !== null) {
    const disk = await openStoreInDataDir(dataDir, { ...limits, clock, onListenerError }, storeLog);
    return { store: disk.store, dataDir: disk };
  }
  if (backend.kind === 'memory') {
    return { store: createMemoryStore({ ...limits, clock, onListenerError }), dataDir: null };
  }
  // Loaded only when chosen: ioredis costs a process about 25 MB that the memory store never uses.
  const { createRedisStore } = await import('./redis/redis-store.js');
  const store = await createRedisStore({
    ...limits, clock, onListenerError,
    url: backend.url,
    onError: (error) => storeLog.warn({ err: error }, 'a Redis store operation failed'),
    onConnectionChange: (up) => {
      if (up) storeLog.info('connected to Redis again');
      else storeLog.error('lost the connection to Redis; mail is refused (451) and reads fail (503) until it is back');
    },
  });
  return { store, dataDir: null };
}

/** The memory store kept in a data directory; a refusal that --data-dir-reset would lift says so. */
async function openStoreInDataDir(config: DataDirConfig, memory: Omit<MemoryStoreOptions, 'journal' | 'restored'>, storeLog: Logger): Promise<DiskStore> {
  // Loaded only when chosen, like Redis: the memory-only default never loads LMDB.
  const { openDiskStore, DataDirError } = await import('./disk/disk-store.js');
  try {
    return await openDiskStore({
      ...memory,
      path: config.path,
      resetIfUnusable: config.resetIfUnusable,
      onMovedAside: (reason, movedTo) => storeLog.warn({ event: 'data_dir_reset', movedTo }, `${reason.message}; --data-dir-reset moved it to ${movedTo}, and the store starts empty`),
      onWriteError: (error) => storeLog.error({ err: error }, `could not write to the data directory ${config.path}; the mail of the last moments is kept in memory only, and a restart would lose it`),
    });
  } catch (error) {
    if (error instanceof DataDirError && error.resettable) throw new DataDirError(`${error.message} (--data-dir-reset true moves it aside and starts empty)`, false);
    throw error;
  }
}
