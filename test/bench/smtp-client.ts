import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One SMTP transaction as the sender saw it; times are performance.now() in the sender. */
export interface SendResult {
  code: number;
  /** The last byte of the DATA block was handed to the kernel. */
  endOfDataAt: number;
  /** The reply to the DATA block arrived. */
  replyAt: number;
  reply: string;
}

/** A lean client: one connection, sequential commands, no pipelining, no parsing beyond reply codes. */
export interface SmtpSender {
  send(from: string, to: readonly string[], dataBlock: Buffer): Promise<SendResult>;
  quit(): Promise<void>;
}

interface Reply {
  code: number;
  text: string;
  at: number;
}

/**
 * Opens a connection, reads the greeting and says EHLO. Kept minimal on
 * purpose (nodemailer does far more per message) so the client costs little
 * next to either server and the same client measures both.
 */
export async function openSender(port: number, host = '127.0.0.1'): Promise<SmtpSender> {
  const socket: Socket = connect({ port, host, noDelay: true });
  const ready: Reply[] = [];
  const waiting: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }> = [];
  let pending = '';
  let failure: Error | null = null;

  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    const at = performance.now();
    pending += chunk;
    for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      // Continuation lines ("250-...") are skipped; the last line ("250 ...") completes the reply.
      if (line.length >= 3 && line[3] !== '-') {
        const reply = { code: Number(line.slice(0, 3)), text: line, at };
        const waiter = waiting.shift();
        if (waiter) waiter.resolve(reply);
        else ready.push(reply);
      }
    }
  });
  const fail = (error: Error) => {
    failure ??= error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('SMTP connection closed')));

  function read(): Promise<Reply> {
    const next = ready.shift();
    if (next) return Promise.resolve(next);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }

  async function command(line: string, expect: number): Promise<Reply> {
    socket.write(`${line}\r\n`);
    const reply = await read();
    if (reply.code !== expect) throw new SmtpError(reply.code, reply.text);
    return reply;
  }

  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const greeting = await read();
  if (greeting.code !== 220) throw new SmtpError(greeting.code, greeting.text);
  await command('EHLO bench.example', 250);

  return {
    async send(from, to, dataBlock) {
      await command(`MAIL FROM:<${from}>`, 250);
      for (const recipient of to) await command(`RCPT TO:<${recipient}>`, 250);
      await command('DATA', 354);
      const endOfDataAt = await new Promise<number>((resolve, reject) => {
        socket.write(dataBlock, (error) => (error ? reject(error) : resolve(performance.now())));
      });
      const reply = await read();
      return { code: reply.code, endOfDataAt, replyAt: reply.at, reply: reply.text };
    },
    async quit() {
      if (failure === null) {
        socket.write('QUIT\r\n');
        await Promise.race([read().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500))]);
      }
      socket.destroy();
    },
  };
}

/** An SMTP reply other than the one the protocol step expects. */
export class SmtpError extends Error {
  constructor(readonly code: number, readonly reply: string) {
    super(`unexpected SMTP reply: ${reply}`);
  }
}
