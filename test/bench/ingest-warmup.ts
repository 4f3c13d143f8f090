import type { LoadHandle, ServerHandle } from './children.js';
import { DOMAIN, type IngestParams, type IngestResult } from './load-smtp.js';
import type { MessageKind } from './messages.js';
import type { Plan } from './plan.js';

/** What a warm-up of a fresh server takes from its caller: where to send, and how widely. */
export type WarmUpBase = Pick<IngestParams, 'port' | 'connections' | 'inboxes'>;

/**
 * The unmeasured run before a measured ingest, so that JIT compilation counts
 * in neither server's figures (the plan says how long that takes). Ephemail's
 * warm-up mail is then deleted and each server's main-thread heap collected
 * (the parse workers' are left alone): the measured run starts from the store
 * it would have had without the warm-up, only with its code compiled.
 */
export async function warmUpIngest(load: LoadHandle, server: ServerHandle, params: IngestParams): Promise<IngestResult> {
  const result = await load.run('ingest', params);
  if (server.httpPort !== 0) await deleteInboxes(server, inboxesOf(params));
  await server.memory(true);
  return result;
}

/**
 * Compiles a fresh server's ingest path as the ingest scenario's runs find it
 * (its 200 KB runs follow the 10 KB runs on the same servers, so the 10 KB
 * warm-up comes first whatever the size), and leaves its store empty.
 */
export async function warmUpFreshServer(load: LoadHandle, server: ServerHandle, plan: Plan, kind: MessageKind, base: WarmUpBase): Promise<void> {
  const runs = kind === 'text10k' ? [kind] : ['text10k', kind] as const;
  for (const warmKind of runs) {
    const params = { ...base, kind: warmKind, perConnection: plan.ingest[warmKind].warmup, warmupPerConnection: 0, prefix: `warm-${warmKind}` };
    const result = await warmUpIngest(load, server, params);
    if (result.errors > 0) throw new Error(`warm-up: ${result.errors} SMTP error(s), first: ${result.firstError ?? '?'}`);
  }
}

/** The inboxes `ingest` sends to with these parameters (both of its phases number messages from 0). */
function inboxesOf(params: IngestParams): string[] {
  const used = Math.min(params.inboxes, params.connections * Math.max(params.perConnection, params.warmupPerConnection));
  return Array.from({ length: used }, (_, index) => `${params.prefix}-${index}@${DOMAIN}`);
}

async function deleteInboxes(server: ServerHandle, inboxes: string[]): Promise<void> {
  const queue = [...inboxes];
  const deleter = async () => {
    for (let inbox = queue.shift(); inbox !== undefined; inbox = queue.shift()) {
      const response = await fetch(`http://127.0.0.1:${server.httpPort}/api/inboxes/${encodeURIComponent(inbox)}`, { method: 'DELETE' });
      if (response.status !== 200) throw new Error(`deleting ${inbox} answered ${response.status}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 4 }, deleter));
}
