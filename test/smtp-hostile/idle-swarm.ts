import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * A swarm of idle SMTP clients in a process of its own, as an attacker's
 * would be: its sockets do not share the server's event loop. It opens the
 * connections from consecutive loopback addresses, waits for each greeting,
 * reports, then holds them until told to stop, the parent goes away, or
 * HOLD_LIMIT_MS passes.
 */

/** What the swarm reports over IPC. */
export type SwarmMessage =
  | { type: 'ready'; opened: number; ms: number }
  | { type: 'failed'; message: string };

/** How to spread the swarm. */
export interface SwarmPlan {
  port: number;
  count: number;
  /** Connections per source address: 127.0.0.<first>, 127.0.0.<first+1>, … */
  perAddress: number;
  first: number;
  /** Connections being opened at once. */
  parallel: number;
}

const HOLD_LIMIT_MS = 60_000;

/** Handle on a running swarm. */
export interface Swarm {
  ready: Promise<Extract<SwarmMessage, { type: 'ready' }>>;
  /** Closes every connection and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Forks a swarm. */
export function startSwarm(plan: SwarmPlan): Swarm {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(plan)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<Extract<SwarmMessage, { type: 'ready' }>>((resolve, reject) => {
    child.on('message', (message: SwarmMessage) => {
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`idle swarm: ${message.message}`));
    });
    void exited.then(() => reject(new Error('idle swarm exited before it was ready')));
  });
  return {
    ready,
    async stop() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

function open(port: number, localAddress: string, sockets: Socket[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    sockets.push(socket);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) resolve(text.slice(0, text.indexOf('\r\n')));
    });
    socket.on('error', reject);
    socket.once('close', () => reject(new Error(`closed before a greeting from ${localAddress}: ${JSON.stringify(text)}`)));
  });
}

async function run(plan: SwarmPlan): Promise<void> {
  const sockets: Socket[] = [];
  const finish = () => {
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  };
  process.once('disconnect', finish);
  setTimeout(finish, HOLD_LIMIT_MS).unref();
  const started = performance.now();
  try {
    for (let start = 0; start < plan.count; start += plan.parallel) {
      const batch = Array.from({ length: Math.min(plan.parallel, plan.count - start) }, (_, i) =>
        open(plan.port, `127.0.0.${plan.first + Math.floor((start + i) / plan.perAddress)}`, sockets));
      const greetings = await Promise.all(batch);
      const refused = greetings.find((line) => !line.startsWith('220 '));
      if (refused !== undefined) throw new Error(`not greeted: ${refused}`);
    }
    process.send?.({ type: 'ready', opened: sockets.length, ms: performance.now() - started } satisfies SwarmMessage);
  } catch (error) {
    process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies SwarmMessage);
    finish();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send !== undefined) {
  void run(JSON.parse(process.argv[2] ?? '{}') as SwarmPlan);
}
