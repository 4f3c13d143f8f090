/**
 * Sizes the message frame to its document, as phone mail apps show mail:
 * as tall as the message, so the page scrolls and the frame does not, and
 * zoomed out when the message is wider than the frame (a 600 px newsletter
 * on a 360 px phone), so the page never scrolls sideways.
 *
 * This page can measure the document because the frame is sandboxed with
 * `allow-same-origin` and without `allow-scripts` (parts.js, and the same
 * sandbox in the document's own CSP). The sandbox, not the origin, is what
 * keeps mail from running: no script of any kind runs in the document,
 * whatever its origin, so nothing in it can use that origin to reach this
 * page, our API or this browser's storage. Same origin gives only the other
 * direction: this page may read the document, and reads nothing but its
 * sizes. The other design, a fixed script of ours in the frame posting its
 * height, would have needed `allow-scripts` and a script in every message
 * document; this one needs neither.
 *
 * Nothing in the message can hide what is read here: the sanitiser keeps
 * `name` on links only, so no element can shadow a property of the document
 * (DOM clobbering goes through `name` on img, form, embed, object, iframe).
 */

/** Past this height the frame scrolls inside: a message 200,000 px tall makes no page that tall. */
const MAX_FRAME_HEIGHT = 20_000;

// Zoomed out no further: a message wider than four frames scrolls sideways inside its frame rather than turn to dust.
const MIN_ZOOM = 0.25;

/**
 * Keeps the frame fitted to every document it loads, until `signal` aborts.
 * It fits on load (when the document and its images are in) and again
 * whenever the document changes size: a remote image arriving, a font, a
 * <details> opened, the frame narrowed by a turned phone.
 * @param {HTMLIFrameElement} frame
 * @param {AbortSignal} signal aborted when the message closes
 */
export function fitFrameToContent(frame, signal) {
  /** @type {HTMLElement | null} */
  let root = null;
  const follow = () => {
    // Content sized by the frame's own height (CSS vh) grows each time the frame does:
    // it keeps this height and scrolls inside, rather than push the frame down for ever.
    if (root !== null && !fit(frame, root)) observer.disconnect();
  };
  const observer = new ResizeObserver(follow);
  frame.addEventListener('load', () => {
    observer.disconnect();
    // Null when the frame shows no document of ours (an error page).
    root = frame.contentDocument?.documentElement ?? null;
    if (root === null) return;
    // A document sized in percent of its viewport (`html, body {height: 100%}`,
    // common in newsletters) would grow each time the frame does; auto on the
    // root makes those percentages mean "the content's height".
    root.style.setProperty('height', 'auto', 'important');
    observer.observe(root);
    follow();
  }, { signal });
  signal.addEventListener('abort', () => observer.disconnect());
}

/**
 * Zooms the document to the frame's width if it is wider, then makes the
 * frame as tall as the document, up to MAX_FRAME_HEIGHT.
 * @param {HTMLIFrameElement} frame
 * @param {HTMLElement} root the document's <html>
 * @returns {boolean} false when the content grew with the frame, and so can never fit
 */
function fit(frame, root) {
  const width = root.clientWidth;
  // The frame has no box while another tab is shown: nothing to measure until it is back.
  if (width === 0) return true;
  // Measured at its own size, then zoomed: the zoom is the last thing set, so the observer sees only the result.
  root.style.zoom = '';
  const zoom = Math.max(MIN_ZOOM, width / root.scrollWidth);
  if (zoom < 1) root.style.zoom = String(zoom);
  const height = Math.min(heightOf(root), MAX_FRAME_HEIGHT);
  frame.style.height = `${height}px`;
  // Measured again at the new height. A page scroll bar that came or went changes the width,
  // and so the height, by itself: the observer sees that change and the frame is fitted again.
  return height === MAX_FRAME_HEIGHT || root.clientWidth !== width || heightOf(root) <= height;
}

/**
 * The document's height in the frame's pixels, zoom included.
 * @param {HTMLElement} root
 */
function heightOf(root) {
  return Math.ceil(root.getBoundingClientRect().height);
}
