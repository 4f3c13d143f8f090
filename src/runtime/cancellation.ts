/**
 * Why work ended early: whoever asked for it has gone (an HTTP client that
 * hung up). Nobody reads the answer, so it is no error worth logging.
 */
export class CancelledError extends Error {
  constructor(message = 'nobody is waiting for this any more') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Work that several requesters may wait for at once. */
export interface SharedWork<T> {
  /** The work's own outcome, whoever waits for it: what its owner caches. */
  readonly result: Promise<T>;
  /**
   * The result for one more requester. When `signal` aborts, this requester
   * gets a CancelledError at once, and if it was the last one the work's own
   * signal aborts. A requester without a signal stays to the end, so the
   * work is never cancelled once one has joined.
   */
  join(signal?: AbortSignal): Promise<T>;
}

/**
 * Starts `start` and shares it. Its signal aborts when every requester has
 * gone; what that stops is up to the work (the parse workers drop a job that
 * has not started, and let a running one finish, so its result can still be
 * cached). Requesters may join until the work ends, even after its signal
 * aborted: the work may still be running.
 */
export function shareWork<T>(start: (signal: AbortSignal) => Promise<T>): SharedWork<T> {
  const controller = new AbortController();
  const result = start(controller.signal);
  let staying = 0;

  function join(signal?: AbortSignal): Promise<T> {
    staying++;
    if (signal === undefined) return result;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        if (--staying === 0) controller.abort();
        reject(new CancelledError());
      };
      if (signal.aborted) return leave();
      signal.addEventListener('abort', leave, { once: true });
      result.then(resolve, reject).finally(() => signal.removeEventListener('abort', leave));
    });
  }

  return { result, join };
}
