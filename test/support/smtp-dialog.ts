import { connect, type Socket } from 'node:net';

/** One SMTP reply: the code and every line as received (code and separator included). */
export interface SmtpReplyLines {
  code: number;
  lines: string[];
  /** The lines joined with '\n', handy for toMatch. */
  text: string;
}

/**
 * A tiny raw SMTP client for error paths that real clients never take. It
 * writes exactly what it is given and hands back replies in order.
 */
export interface SmtpDialog {
  /** The 220 (or refusal) the server opened with. */
  greeting: SmtpReplyLines;
  socket: Socket;
  /** Sends one command line (CRLF added) and resolves to its reply. */
  command(line: string): Promise<SmtpReplyLines>;
  /** Sends several command lines in one write, then reads one reply per line. */
  pipeline(lines: string[]): Promise<SmtpReplyLines[]>;
  /** Writes raw bytes without waiting for anything. */
  write(data: string | Buffer): Promise<void>;
  /** The next reply. */
  read(): Promise<SmtpReplyLines>;
  /** Resolves once the server closed the connection. */
  closed: Promise<void>;
  close(): void;
}

/**
 * Opens a connection (from `localAddress` when given, e.g. another 127.0.0.x) and waits for the greeting;
 * `preamble` is written as soon as it connects, before the greeting (a PROXY protocol header).
 */
export async function openDialog(port: number, host = '127.0.0.1', localAddress?: string, preamble?: string): Promise<SmtpDialog> {
  const socket = connect({ port, host, localAddress });
  const replies: SmtpReplyLines[] = [];
  const waiting: Array<{ resolve: (reply: SmtpReplyLines) => void; reject: (error: Error) => void }> = [];
  let buffer = '';
  let current: string[] = [];
  let ended = false;

  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      current.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), lines: current, text: current.join('\n') };
        current = [];
        const waiter = waiting.shift();
        if (waiter) waiter.resolve(reply);
        else replies.push(reply);
      }
    }
  });
  const fail = (error: Error) => {
    ended = true;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };
  socket.on('error', (error) => fail(error));
  socket.on('close', () => fail(new Error(`connection closed; unparsed: ${JSON.stringify(buffer)}`)));

  function read(): Promise<SmtpReplyLines> {
    const ready = replies.shift();
    if (ready) return Promise.resolve(ready);
    if (ended) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }

  function write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  if (preamble !== undefined) await write(preamble);
  const greeting = await read();

  return {
    greeting,
    socket,
    closed,
    read,
    write,
    async command(line) {
      const reply = read();
      await write(`${line}\r\n`);
      return reply;
    },
    async pipeline(lines) {
      const pending = lines.map(() => read());
      await write(lines.map((line) => `${line}\r\n`).join(''));
      return Promise.all(pending);
    },
    close() {
      socket.destroy();
    },
  };
}

/** The body as it travels after DATA: lines starting with a dot doubled, and the final dot. */
export function dataBlock(body: string | Buffer): Buffer {
  const text = Buffer.isBuffer(body) ? body.toString('latin1') : Buffer.from(body, 'utf8').toString('latin1');
  const withEnd = text.endsWith('\r\n') ? text : `${text}\r\n`;
  const stuffed = withEnd.replace(/(^|\r\n)\./g, '$1..');
  return Buffer.from(`${stuffed}.\r\n`, 'latin1');
}

/**
 * A whole transaction over a fresh connection: EHLO, MAIL, RCPT each, DATA,
 * body. Returns every reply so tests can look at the one they care about.
 */
export async function sendRaw(port: number, options: { from?: string; to: string[]; body: string | Buffer; mailParams?: string }): Promise<SmtpReplyLines[]> {
  const dialog = await openDialog(port);
  try {
    const replies = [await dialog.command('EHLO client.test')];
    replies.push(await dialog.command(`MAIL FROM:<${options.from ?? 'sender@example.com'}>${options.mailParams ? ` ${options.mailParams}` : ''}`));
    for (const to of options.to) replies.push(await dialog.command(`RCPT TO:<${to}>`));
    const data = await dialog.command('DATA');
    replies.push(data);
    if (data.code === 354) {
      const reply = dialog.read();
      await dialog.write(dataBlock(options.body));
      replies.push(await reply);
    }
    await dialog.command('QUIT').catch(() => undefined);
    return replies;
  } finally {
    dialog.close();
  }
}
