import { performance } from 'node:perf_hooks';
import { messageFactory } from '../bench/messages.js';
import { openSender, type SmtpSender } from '../bench/smtp-client.js';
import { sleep } from '../bench/stats.js';
import { createStopSignal, createTallySheet, describeError, type Driver } from './tally.js';

const FROM = 'sender@soak.example';
// A session sends this many messages, then says QUIT and a new one opens: senders come and go, as in life.
const MESSAGES_PER_SESSION = 200;
const RETRY_CONNECT_MS = 1_000;
const CATCH_UP_MS = 1_000;

/** The SMTP side of the soak. */
export interface SmtpLoadParams {
  port: number;
  /** Messages per second, over all sessions. */
  rate: number;
  sessions: number;
  inboxes: readonly string[];
}

/**
 * Sessions sending 10 KB mail (the benchmark's text + HTML message) at a
 * steady pace to inboxes taken in turn. Every reply but 250 is an error: the
 * server runs with --memory-share 100%, so the store evicts the oldest mail
 * instead of refusing any.
 */
export function driveSmtp(params: SmtpLoadParams): Driver {
  const sheet = createTallySheet();
  const signal = createStopSignal();
  const make = messageFactory('text10k');
  const interval = (1000 * params.sessions) / params.rate;
  let sent = 0;

  async function session(sender: SmtpSender, schedule: { next: number }): Promise<void> {
    for (let n = 0; n < MESSAGES_PER_SESSION && signal.running(); n++) {
      const wait = schedule.next - performance.now();
      if (wait > 0) await Promise.race([sleep(wait), signal.stopped]);
      if (!signal.running()) return;
      // A session held up by a slow reply catches up, but never by more than a second's worth of mail at once.
      schedule.next = Math.max(schedule.next, performance.now() - CATCH_UP_MS) + interval;
      const inbox = params.inboxes[sent++ % params.inboxes.length] as string;
      const result = await sender.send(FROM, [inbox], make(inbox, `soak ${sent}`));
      if (result.code === 250) sheet.ok();
      else sheet.fail(result.reply);
    }
  }

  async function sessions(index: number): Promise<void> {
    // Staggered, so the sessions' sends interleave instead of coming in bursts.
    const schedule = { next: performance.now() + (index * interval) / params.sessions };
    while (signal.running()) {
      let sender: SmtpSender;
      try {
        sender = await openSender(params.port);
      } catch (error) {
        sheet.fail(`connecting: ${describeError(error)}`);
        await Promise.race([sleep(RETRY_CONNECT_MS), signal.stopped]);
        continue;
      }
      try {
        await session(sender, schedule);
      } catch (error) {
        // A refused MAIL or RCPT, or a dropped connection: counted, and a new session starts.
        sheet.fail(describeError(error));
      }
      await sender.quit();
    }
  }

  const running = Array.from({ length: params.sessions }, (_, index) => sessions(index));
  return {
    read: sheet.read,
    async stop() {
      signal.stop();
      await Promise.all(running);
    },
  };
}
