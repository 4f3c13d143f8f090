import { describe, expect, it } from 'vitest';
import { CancelledError, shareWork } from '../../src/runtime/cancellation.js';

/** Work that ends when the test says, and records whether its signal aborted. */
function heldWork() {
  let finish: (value: string) => void = () => {};
  let signal: AbortSignal | undefined;
  const work = shareWork((abort) => {
    signal = abort;
    return new Promise<string>((resolve) => { finish = resolve; });
  });
  return { work, finish: (value: string) => finish(value), aborted: () => signal?.aborted };
}

describe('shareWork', () => {
  it('answers a requester that leaves at once with a CancelledError, and the others with the result', async () => {
    const { work, finish, aborted } = heldWork();
    const leaving = new AbortController();
    const staying = new AbortController();
    const gone = work.join(leaving.signal);
    const waiting = work.join(staying.signal);
    leaving.abort();
    await expect(gone).rejects.toBeInstanceOf(CancelledError);
    expect(aborted()).toBe(false);
    finish('done');
    expect(await waiting).toBe('done');
  });

  it('aborts the work when every requester has gone, and not before', async () => {
    const { work, aborted } = heldWork();
    const requesters = [new AbortController(), new AbortController(), new AbortController()];
    const joined = requesters.map((requester) => work.join(requester.signal));
    for (const [index, requester] of requesters.entries()) {
      expect(aborted(), `before requester ${index} left`).toBe(false);
      requester.abort();
    }
    expect(aborted()).toBe(true);
    for (const answer of joined) await expect(answer).rejects.toBeInstanceOf(CancelledError);
  });

  it('never aborts once a requester without a signal has joined', async () => {
    const { work, finish, aborted } = heldWork();
    const requester = new AbortController();
    const gone = work.join(requester.signal);
    const stayingToTheEnd = work.join();
    requester.abort();
    await expect(gone).rejects.toBeInstanceOf(CancelledError);
    expect(aborted()).toBe(false);
    finish('kept');
    expect(await stayingToTheEnd).toBe('kept');
  });

  it('answers a requester whose signal has already aborted at once, and lets later ones join work still running', async () => {
    const { work, finish, aborted } = heldWork();
    await expect(work.join(AbortSignal.abort())).rejects.toBeInstanceOf(CancelledError);
    expect(aborted()).toBe(true);
    // Aborted, but the work is still running: it is up to the work whether it stops.
    const late = work.join(new AbortController().signal);
    finish('late');
    expect(await late).toBe('late');
    expect(await work.result).toBe('late');
  });

  it('passes the work\'s failure to every requester', async () => {
    const work = shareWork(async () => {
      throw new Error('the parser failed');
    });
    await expect(work.join(new AbortController().signal)).rejects.toThrow('the parser failed');
    await expect(work.join()).rejects.toThrow('the parser failed');
  });
});
