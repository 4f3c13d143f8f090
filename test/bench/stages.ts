/**
 * Per-message CPU cost of each intake stage, in this process and on one
 * thread: what a parse worker spends per message, without the noise of
 * sockets and thread hops. Used by --profile to say which stage limits ingest.
 */
import { performance } from 'node:perf_hooks';
import { digestMessage } from '../../src/mail/read/digest.js';
import { leanDigest } from '../../src/mail/read/lean-digest.js';
import { findCodes } from '../../src/mail/extract/codes.js';
import { htmlToText } from '../../src/mail/parse/html-text.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { MESSAGE_KINDS, messageFactory, type MessageKind } from './messages.js';
import { median } from './stats.js';

/** Milliseconds per message of each stage, medians over the measured repetitions. */
export interface StageCosts {
  kind: MessageKind;
  /** The full parse: what readers get, and what a digest is made from. */
  parseMs: number;
  digestMs: number;
  codesMs: number;
  htmlToTextMs: number;
  /** The digest a parse worker makes (lean-digest.ts): the same as the parse's digest, without decoding attachments. */
  leanDigestMs: number;
}

async function timed(body: () => unknown): Promise<number> {
  const started = performance.now();
  await body();
  return performance.now() - started;
}

/** Stages are timed in turn within each repetition, so a noisy second on a shared machine hits all of them alike. */
export async function stageCosts(repeats: number): Promise<StageCosts[]> {
  const costs: StageCosts[] = [];
  for (const kind of MESSAGE_KINDS) {
    const make = messageFactory(kind);
    const samples = { parse: [] as number[], digest: [] as number[], codes: [] as number[], html: [] as number[], lean: [] as number[] };
    // The first 20 are warm-up, so the JIT has compiled every stage before it is timed.
    for (let i = 0; i < repeats + 20; i++) {
      // A fresh message each time, as intake sees them: nothing can be reused from the previous one.
      const block = make(`stage-${i}@ephemail.test`, `stage ${i}`);
      const raw = block.subarray(0, block.length - 3);
      const started = performance.now();
      const parsed = await parseMessage(raw);
      const parse = performance.now() - started;
      const digest = await timed(() => digestMessage(parsed));
      const codes = await timed(() => findCodes({ subject: parsed.subject, text: parsed.text, html: parsed.html }));
      const html = await timed(() => htmlToText(parsed.html ?? ''));
      const lean = await timed(() => leanDigest(raw));
      if (i < 20) continue;
      samples.parse.push(parse);
      samples.digest.push(digest);
      samples.codes.push(codes);
      samples.html.push(html);
      samples.lean.push(lean);
    }
    costs.push({
      kind, parseMs: median(samples.parse), digestMs: median(samples.digest), codesMs: median(samples.codes), htmlToTextMs: median(samples.html),
      leanDigestMs: median(samples.lean),
    });
  }
  return costs;
}
