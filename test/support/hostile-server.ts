import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * One server for a file of hostile tests, with rate limits lifted (every
 * client is 127.0.0.1) and every uncaught exception or unhandled rejection
 * in this process recorded, so a test can assert that none happened.
 */
export function useHostileServer(): { readonly server: TestServer; unexpected: unknown[] } {
  let server: TestServer | undefined;
  const unexpected: unknown[] = [];
  const onUnexpected = (error: unknown) => { unexpected.push(error); };

  beforeAll(async () => {
    process.on('uncaughtException', onUnexpected);
    process.on('unhandledRejection', onUnexpected);
    server = await startTestServer(['--rate-limit', '1000000', '--rate-burst', '1000000']);
  });

  afterAll(async () => {
    await server?.close(0);
    process.off('uncaughtException', onUnexpected);
    process.off('unhandledRejection', onUnexpected);
  });

  return {
    get server() {
      if (server === undefined) throw new Error('the hostile server is not started yet');
      return server;
    },
    unexpected,
  };
}
