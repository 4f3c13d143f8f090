/** What one kind of soak client did: operations that went as expected, and errors with the first few texts. */
export interface Tally {
  done: number;
  errors: number;
  firstErrors: string[];
}

/** A tally that clients add to as they go. */
export interface TallySheet {
  ok(): void;
  fail(what: string): void;
  read(): Tally;
}

const KEPT_ERRORS = 5;

export function createTallySheet(): TallySheet {
  const tally: Tally = { done: 0, errors: 0, firstErrors: [] };
  return {
    ok: () => { tally.done += 1; },
    fail(what) {
      tally.errors += 1;
      if (tally.firstErrors.length < KEPT_ERRORS) tally.firstErrors.push(what.slice(0, 300));
    },
    read: () => ({ ...tally, firstErrors: [...tally.firstErrors] }),
  };
}

/** The load's clients, each running until stop() resolves. */
export interface Driver {
  read(): Tally;
  stop(): Promise<void>;
}

/** Text of anything thrown. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A promise resolved by stop(), for sleeps that end early when the run does. */
export function createStopSignal(): { stopped: Promise<void>; running: () => boolean; stop: () => void } {
  let running = true;
  let resolve: () => void = () => {};
  const stopped = new Promise<void>((done) => { resolve = done; });
  return { stopped, running: () => running, stop: () => { running = false; resolve(); } };
}
