import type { LoadHandle } from './children.js';

/** Sizes of every scenario; --quick shrinks them to a smoke test that finishes in under a minute. */
export interface Plan {
  quick: boolean;
  runs: number;
  logLevel: string;
  /** `--store` for Ephemail under test: memory (default) or a redis:// URL. */
  store: string;
  /** Ingest is also measured on a memory store kept in a data directory (--data-dir), against the same store without. */
  dataDir: boolean;
  connections: number;
  ingest: { text10k: { perConnection: number; warmup: number }; pdf200k: { perConnection: number; warmup: number } };
  arrival: { rate: number; count: number; warmup: number; connections: number };
  waitSamples: number;
  memoryMessages: number;
  api: { messages: number; connections: number; durationS: number };
  fanout: { idleInboxes: number; idlePerInbox: number; hot: number; messages: number };
  flood: { memoryLimit: string; bytes: number };
  /** The scenarios across two instances on one Redis (cross-instance.ts); with a Redis store only. */
  cross: {
    waitSamples: number;
    /** WebSocket clients on one inbox, half on each instance. */
    fanoutClients: number;
    fanoutMessages: number;
    /** Fresh processes started per figure of the first-read scenario. */
    firstReadSamples: number;
  };
}

export function makePlan(quick: boolean, runs: number | null, logLevel: string, store = 'memory', dataDir = false): Plan {
  if (quick) {
    return {
      quick, runs: runs ?? 1, logLevel, store, dataDir, connections: 8,
      ingest: { text10k: { perConnection: 25, warmup: 3 }, pdf200k: { perConnection: 5, warmup: 1 } },
      arrival: { rate: 200, count: 250, warmup: 50, connections: 8 },
      waitSamples: 10,
      memoryMessages: 1_000,
      api: { messages: 50, connections: 50, durationS: 1 },
      fanout: { idleInboxes: 50, idlePerInbox: 10, hot: 100, messages: 2 },
      // A smaller limit, so a small flood still goes through eviction.
      flood: { memoryLimit: '32MB', bytes: 48 * 1024 * 1024 },
      cross: { waitSamples: 10, fanoutClients: 100, fanoutMessages: 2, firstReadSamples: 2 },
    };
  }
  return {
    quick, runs: runs ?? 3, logLevel, store, dataDir, connections: 8,
    // A fresh server's code is nearly all compiled within the 10 KB warm-up (6 batches of 800):
    // `--trace-opt` counted the functions optimised in successive batches, 54, 61, 27, 15, 4, 2,
    // then 2, 0, 0, 1... into Ephemail and 54, 42, 20, 7, 7, 0... into the bare server. The 200 KB
    // runs follow the 10 KB runs on the same servers (BENCHMARKS.md, "Warm-up").
    ingest: { text10k: { perConnection: 600, warmup: 600 }, pdf200k: { perConnection: 100, warmup: 10 } },
    arrival: { rate: 200, count: 2_200, warmup: 200, connections: 8 },
    waitSamples: 200,
    memoryMessages: 50_000,
    api: { messages: 50, connections: 50, durationS: 5 },
    fanout: { idleInboxes: 500, idlePerInbox: 10, hot: 1_000, messages: 5 },
    flood: { memoryLimit: '128MB', bytes: 1024 * 1024 * 1024 },
    cross: { waitSamples: 200, fanoutClients: 1_000, fanoutMessages: 5, firstReadSamples: 5 },
  };
}

/** What every scenario gets: the plan, the load generator, and where correctness errors go. */
export interface Context {
  plan: Plan;
  load: LoadHandle;
  /** SMTP error replies, missing events, failed requests, crashes: what --quick fails on. */
  errors: string[];
  /** Prints progress to stderr so stdout stays the table and the JSON line. */
  note(text: string): void;
}

/** Named figures of one run of one scenario. */
export type Figures = Record<string, number>;
