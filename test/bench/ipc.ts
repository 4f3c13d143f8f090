/** Messages between the benchmark and the server child; both sides import these types. */

export type ChildRequest =
  | { type: 'memory'; id: number; collect: boolean }
  | { type: 'mark'; id: number }
  | { type: 'stop' };

export interface MemorySample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Event-loop delay since the previous sample, so a scenario can tell a blocked loop from a slow client. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type ChildReply =
  | { type: 'ready'; smtpPort: number; httpPort: number; pid: number }
  | ({ type: 'memory'; id: number } & MemorySample)
  | ({ type: 'mark'; id: number } & Mark);

/** A moment in the server child, for measuring what happened between two of them. */
export interface Mark {
  /** The child's monotonic clock in microseconds: the time base of V8 CPU profiles, so a profile can be cut to a window. */
  monotonicUs: number;
  /** CPU time the process has used (user and system, all threads), in microseconds. */
  cpuUs: number;
}
