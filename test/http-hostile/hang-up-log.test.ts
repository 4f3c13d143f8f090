import { describe, expect, it } from 'vitest';
import { useHostileServer } from '../smtp-hostile/hostile-setup.js';

/** A client going away is not a server error, and its log line says so in one line (finding 7 of issue 19). */
const { start, client } = useHostileServer();

describe('a client that hangs up mid-request', () => {
  it('is logged once at info, without a stack, and nothing is logged as an error', async () => {
    const app = await start();
    for (let i = 0; i < 3; i++) {
      const cut = await client(app.httpPort);
      cut.socket.write('POST /api/inboxes HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"localPart":');
      // Its headers arrive before its end does, so the request is routed and reading its body when the client goes.
      cut.socket.destroy();
      await cut.closedAt;
      await expect.poll(() => app.logs.filter((line) => line.msg === 'the client went away before its request was answered')).toHaveLength(i + 1);
    }
    const [line] = app.logs.filter((entry) => entry.msg === 'the client went away before its request was answered');
    expect(line).toMatchObject({ level: 30, part: 'http', method: 'POST', route: '/api/inboxes', reason: 'aborted' });
    expect(line).not.toHaveProperty('err');
    expect(app.logs.filter((entry) => Number(entry.level) >= 50)).toEqual([]);
  });
});
