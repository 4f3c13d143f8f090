import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/runtime/cancellation.js';
import { createHtmlDocuments } from '../../src/mail/read/html-documents.js';
import type { RenderedHtml } from '../../src/worker/jobs.js';
import { renderSafeHtml } from '../../src/sanitize/html.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { createManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';

/** Documents over a real memory store; every render is recorded with its signal and ends when the test says. */
function openDocuments() {
  const store = createMemoryStore({ ttlMs: 60_000, memoryLimit: 1024 * 1024, memoryShare: null, inboxLimit: 50, clock: createManualClock() });
  const documents = createHtmlDocuments({ store, cacheBytes: 1024 * 1024 });
  const renders: Array<{ html: string; signal: AbortSignal; finish: () => void }> = [];
  const render = (html: string) => (signal: AbortSignal) => new Promise<RenderedHtml>((resolve) => {
    const finish = () => {
      const { document, blockedRemoteCount } = renderSafeHtml(html, { allowRemote: false, resolveContentId: () => null });
      resolve({ document: Buffer.from(document), blockedRemoteCount });
    };
    renders.push({ html, signal, finish });
  });
  return { store, documents, renders, render };
}

describe('HTML documents: rendered once per message and kept', () => {
  it('renders once for requests at the same moment, and the next request renders nothing and gets the same Buffer', async () => {
    const { documents, renders, render } = openDocuments();
    const first = documents.get('m1', false, render('<p>one</p>'), new AbortController().signal);
    const second = documents.get('m1', false, render('<p>one</p>'));
    renders[0]?.finish();
    const rendered = await first;
    expect(await second).toBe(rendered);
    expect(await documents.get('m1', false, render('<p>one</p>'))).toBe(rendered);
    expect(rendered.document.toString()).toContain('<p>one</p>');
    expect(renders).toHaveLength(1);
  });

  it('keeps a document with remote content apart from the one without', async () => {
    const { documents, renders, render } = openDocuments();
    const local = documents.get('m1', false, render('<p>local</p>'));
    const remote = documents.get('m1', true, render('<p>remote</p>'));
    for (const pending of renders) pending.finish();
    expect((await local).document.toString()).toContain('local');
    expect((await remote).document.toString()).toContain('remote');
    expect(renders).toHaveLength(2);
  });

  it('cancels a render only when every requester has gone', async () => {
    const { documents, renders, render } = openDocuments();
    const [one, two] = [new AbortController(), new AbortController()];
    const answers = [documents.get('m1', false, render('<p>x</p>'), one.signal), documents.get('m1', false, render('<p>x</p>'), two.signal)];
    one.abort();
    expect(renders[0]?.signal.aborted).toBe(false);
    two.abort();
    expect(renders[0]?.signal.aborted).toBe(true);
    for (const answer of answers) await expect(answer).rejects.toBeInstanceOf(CancelledError);
  });

  it('forgets a removed message\'s documents, even one still being rendered', async () => {
    const { store, documents, renders, render } = openDocuments();
    const [kept, rendering] = await store.add(makeNewMessage(['a@x.test', 'b@x.test']));
    if (kept === undefined || rendering === undefined) throw new Error('the store kept no copies');
    const done = documents.get(kept.id, false, render('<p>kept</p>'));
    renders[0]?.finish();
    await done;
    const under = documents.get(rendering.id, false, render('<p>being rendered</p>'));
    await store.delete(kept.inbox, kept.id);
    await store.delete(rendering.inbox, rendering.id);
    renders[1]?.finish();
    await under;
    // Neither is kept: a request for either id renders again.
    const again = [documents.get(kept.id, false, render('<p>kept</p>')), documents.get(rendering.id, false, render('<p>being rendered</p>'))];
    expect(renders).toHaveLength(4);
    for (const pending of renders.slice(2)) pending.finish();
    await Promise.all(again);
  });
});
