import type { Store } from '../../store/store.js';
import type { RenderedHtml } from '../../worker/jobs.js';
import { createWorkCache } from '../../runtime/work-cache.js';

/** Options of the document cache. */
export interface HtmlDocumentsOptions {
  store: Pick<Store, 'subscribe'>;
  /** Bytes of documents kept. */
  cacheBytes: number;
}

/** Rendered documents by message, with and without remote content. */
export interface HtmlDocuments {
  /**
   * The document of message `id`: cached, or rendered by `render` once
   * however many ask at the same moment. A requester whose `signal` aborts is
   * answered with a CancelledError at once; the render's own signal aborts
   * when every requester has gone.
   */
  get(id: string, allowRemote: boolean, render: (signal: AbortSignal) => Promise<RenderedHtml>, signal?: AbortSignal): Promise<RenderedHtml>;
}

/**
 * A render of a big message costs up to a second of a parse worker (see
 * src/sanitize/html.ts), and a reader opens the same message more than once,
 * so documents are kept, up to `cacheBytes`, as the Buffers the workers made.
 * A removed message's documents leave with it, even one still being rendered.
 */
export function createHtmlDocuments({ store, cacheBytes }: HtmlDocumentsOptions): HtmlDocuments {
  const documents = createWorkCache<RenderedHtml>({ maxBytes: cacheBytes, sizeOf: (rendered) => rendered.document.byteLength });
  const keyOf = (id: string, allowRemote: boolean) => `${id} ${allowRemote ? 'remote' : 'local'}`;
  store.subscribe((event) => {
    if (event.type === 'message') return;
    documents.forget(keyOf(event.id, false));
    documents.forget(keyOf(event.id, true));
  });

  return {
    get: (id, allowRemote, render, signal) => documents.get(keyOf(id, allowRemote), render, signal),
  };
}
