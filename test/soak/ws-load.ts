import type WebSocket from 'ws';
import { subscribe } from '../bench/load-ws.js';
import { sleep } from '../bench/stats.js';
import { createStopSignal, createTallySheet, describeError, type Driver, type Tally, type TallySheet } from './tally.js';

// How long a client stays on one inbox before it hangs up and opens another, as pages are opened and closed.
const STAY_MS = { min: 5_000, max: 15_000 };
const MESSAGE_FRAME = Buffer.from('"type":"message"');
/** The live side of the soak: pages watching inboxes. */
export interface WsLoadParams {
  httpPort: number;
  clients: number;
  inboxes: readonly string[];
}

/** What the live clients did: `done` sockets opened (hello received) and closed cleanly; `frames` new-mail frames seen. */
export interface WsTally extends Tally {
  frames: number;
}

/** Stays on `inbox` until `until` resolves, then closes; any error or close it did not ask for is counted. */
async function visit(httpPort: number, inbox: string, until: Promise<unknown>, sheet: TallySheet, onFrame: () => void): Promise<void> {
  let socket: WebSocket;
  try {
    socket = await subscribe(httpPort, inbox, (data) => { if (data.includes(MESSAGE_FRAME)) onFrame(); });
  } catch (error) {
    sheet.fail(`opening: ${describeError(error)}`);
    return;
  }
  let closing = false;
  let failed = false;
  socket.on('error', (error) => { failed = true; sheet.fail(`socket: ${error.message}`); });
  const closed = new Promise<void>((resolve) => socket.once('close', (code, reason) => {
    if (!closing && !failed) {
      failed = true;
      sheet.fail(`closed by the server: ${code} ${reason.toString()}`);
    }
    resolve();
  }));
  await Promise.race([until, closed]);
  closing = true;
  socket.close(1000);
  await closed;
  if (!failed) sheet.ok();
}

/** Clients that each open an inbox's event socket, stay a while, hang up and open another. */
export function driveWebSockets(params: WsLoadParams): Driver & { read(): WsTally } {
  const signal = createStopSignal();
  const sheet = createTallySheet();
  let frames = 0;

  async function client(): Promise<void> {
    while (signal.running()) {
      const inbox = params.inboxes[Math.floor(Math.random() * params.inboxes.length)] as string;
      const stay = STAY_MS.min + Math.random() * (STAY_MS.max - STAY_MS.min);
      await visit(params.httpPort, inbox, Promise.race([sleep(stay), signal.stopped]), sheet, () => { frames += 1; });
    }
  }

  const clients = Array.from({ length: params.clients }, () => client());
  return {
    read: () => ({ ...sheet.read(), frames }),
    async stop() {
      signal.stop();
      await Promise.all(clients);
    },
  };
}
