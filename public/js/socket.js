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

/** @typedef {import('./api-types.js').ApiEventFrame} ApiEventFrame */
/** @typedef {'connecting' | 'live' | 'reconnecting'} SocketStatus */

/**
 * Follows an inbox's events socket until closed.
 * @param {string} url
 * @param {{ onFrame: (frame: ApiEventFrame) => void, onStatus: (status: SocketStatus) => void }} handlers
 * @returns {{ close(): void }}
 */
export function connectInbox(url, { onFrame, onStatus }) {
  /** @type {WebSocket | null} */
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
      const frame = parseFrame(event.data);
      if (frame === null) return;
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

/**
 * @param {string} data
 * @returns {ApiEventFrame | null} null for anything that is not a frame at all
 */
function parseFrame(data) {
  /** @type {unknown} */
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (frame === null || typeof frame !== 'object' || !('type' in frame) || typeof frame.type !== 'string') return null;
  // Our own server's frames match its declared types; a type added later reaches the handler, which ignores it.
  return /** @type {ApiEventFrame} */ (frame);
}
