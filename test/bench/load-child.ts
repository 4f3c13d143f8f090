/**
 * The load generator, a process of its own: it never shares an event loop
 * with the server it measures, and the benchmark's own bookkeeping never
 * delays it. Runs one task per IPC request and replies with the result.
 */
import { apiLoad, waitLatency, type ApiParams, type ApiResult, type WaitParams, type WaitResult } from './load-http.js';
import { ingest, type IngestParams, type IngestResult } from './load-smtp.js';
import {
  arrival, closeGroup, fanout, openGroup, type ArrivalParams, type ArrivalResult, type FanoutParams,
  type FanoutResult, type OpenParams, type SocketGroups,
} from './load-ws.js';

/** Every task: its parameters and its result, for a typed request/response over IPC. */
export interface LoadTasks {
  ingest: { params: IngestParams; result: IngestResult };
  arrival: { params: ArrivalParams; result: ArrivalResult };
  wait: { params: WaitParams; result: WaitResult };
  api: { params: ApiParams; result: ApiResult };
  openSockets: { params: OpenParams; result: { opened: number; failed: number; firstError: string | null; ms: number } };
  fanout: { params: FanoutParams; result: FanoutResult };
  closeSockets: { params: { group: string }; result: null };
}

type Request = { id: number; task: keyof LoadTasks; params: unknown };

function main(): void {
  // Open WebSocket groups live between tasks (opened, measured, then closed), owned here.
  const groups: SocketGroups = new Map();
  const tasks: { [K in keyof LoadTasks]: (params: LoadTasks[K]['params']) => Promise<LoadTasks[K]['result']> } = {
    ingest,
    arrival,
    wait: waitLatency,
    api: apiLoad,
    openSockets: (params) => openGroup(groups, params),
    fanout: (params) => fanout(groups, params),
    closeSockets: async ({ group }) => { await closeGroup(groups, group); return null; },
  };
  process.on('message', (request: Request) => {
    const run = tasks[request.task] as (params: unknown) => Promise<unknown>;
    run(request.params).then(
      (result) => process.send?.({ id: request.id, result }),
      (error: unknown) => process.send?.({ id: request.id, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
  // The benchmark owns this process: when it goes, so does the load.
  process.on('disconnect', () => process.exit(0));
}

main();
