/**
 * The live connection to one inbox. It reconnects after any drop with
 * exponential backoff and jitter (so a restarted server is not hit by every
 * tab at once), capped at 30 s, and retries at once when the browser comes
 * back online or the tab becomes visible. Every (re)connection starts with a
 * hello frame holding the whole list, so nothing missed while away is lost.
 */

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
// A connection that lived this long was healthy: the next drop starts the backoff afresh.
const STABLE_MS = 5_000;

/**
 * @typedef {'connecting' | 'live' | 'reconnecting'} SocketStatus
 * @param {string} url
 * @param {{ onFrame: (frame: any) => void, onStatus: (status: SocketStatus) => void }} handlers
 */
export function connectInbox(url, { onFrame, onStatus }) {
  let socket = null;
  let timer = 0;
  let failures = 0;
  let openedAt = 0;
  let stopped = false;

  function open() {
    timer = 0;
    onStatus(failures === 0 ? 'connecting' : 'reconnecting');
    try {
      socket = new WebSocket(url);
    } catch {
      scheduleRetry();
      return;
    }
    const current = socket;
    current.addEventListener('open', () => {
      openedAt = Date.now();
    });
    current.addEventListener('message', (event) => {
      if (socket !== current || typeof event.data !== 'string') return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame === null || typeof frame !== 'object' || typeof frame.type !== 'string') return;
      // Live only once the server has said hello with the current list.
      if (frame.type === 'hello') onStatus('live');
      onFrame(frame);
    });
    current.addEventListener('close', () => {
      if (socket !== current) return;
      socket = null;
      if (stopped) return;
      if (openedAt !== 0 && Date.now() - openedAt >= STABLE_MS) failures = 0;
      openedAt = 0;
      scheduleRetry();
    });
  }

  function scheduleRetry() {
    failures++;
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - 1));
    // "Equal jitter": at least half the ceiling, so retries still back off.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    onStatus('reconnecting');
    timer = window.setTimeout(open, delay);
  }

  function retryNow() {
    if (stopped || timer === 0) return;
    window.clearTimeout(timer);
    open();
  }

  const onVisible = () => {
    if (document.visibilityState === 'visible') retryNow();
  };
  window.addEventListener('online', retryNow);
  document.addEventListener('visibilitychange', onVisible);
  open();

  return {
    close() {
      stopped = true;
      window.clearTimeout(timer);
      window.removeEventListener('online', retryNow);
      document.removeEventListener('visibilitychange', onVisible);
      const current = socket;
      socket = null;
      current?.close(1000, 'inbox closed');
    },
  };
}
