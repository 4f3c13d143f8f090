import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as the receiver read it. */
export interface ReceivedPost {
  headers: IncomingHttpHeaders;
  /** The exact body, as the signature covers it. */
  body: string;
}

/** How the receiver answers a post: a status (with headers), or never. */
export type ReceiverAnswer = { status: number; headers?: Record<string, string> } | 'hang';

/** A real HTTP server on a free port that keeps every post and answers as the test says. */
export interface WebhookReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Decides the answer to each post, given how many came before it; 204 unless set. */
  answer: (index: number) => ReceiverAnswer;
  /** Answers every post left hanging so far with `status`. */
  release(status: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = receiver.posts.length;
      receiver.posts.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = receiver.answer(index);
      if (answer === 'hang') hanging.add(response);
      else response.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/ephemail`,
    posts: [],
    answer: () => ({ status: 204 }),
    release(status) {
      for (const response of hanging) response.writeHead(status).end();
      hanging.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}
