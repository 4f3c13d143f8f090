/**
 * Keeps the unread counts of saved inboxes that are not on show up to date
 * by asking for their message lists in turn (refresh-schedule.js says when).
 * A live socket for each would do it sooner, but twenty saved addresses in a
 * couple of tabs would pass the server's limit of sockets per client
 * (--ws-max-per-client, 32); a list request now and then stays well inside
 * the request budget. A hidden tab asks nothing; it catches up when shown.
 */
import { api } from '../api.js';
import { loadReadIds } from '../storage.js';
import { STEP_MS, nextToRefresh } from './refresh-schedule.js';

/** Asks about one saved inbox per step, stalest first. */
export class UnreadPoller {
  /**
   * @param {{ addresses: () => string[], onCount: (address: string, unread: number) => void }} parts
   *   `addresses` names the saved inboxes not on show; `onCount` receives each answer
   */
  constructor({ addresses, onCount }) {
    this.addresses = addresses;
    this.onCount = onCount;
    /** @type {Map<string, number>} when each inbox was last asked about */
    this.askedAt = new Map();
    // One request at a time: a slow server gets no pile-up.
    this.busy = false;
  }

  /** Starts asking, one step at a time, for as long as the page is open. */
  start() {
    window.setInterval(() => this.step(), STEP_MS);
    document.addEventListener('visibilitychange', () => this.step());
  }

  async step() {
    if (this.busy || document.visibilityState === 'hidden') return;
    const addresses = this.addresses();
    // Forgotten inboxes leave the schedule.
    for (const address of this.askedAt.keys()) if (!addresses.includes(address)) this.askedAt.delete(address);
    const address = nextToRefresh(addresses, this.askedAt, Date.now());
    if (address === null) return;
    this.askedAt.set(address, Date.now());
    this.busy = true;
    try {
      const { messages } = await api.listMessages(address);
      // Forgotten, or put on show, while asked: its count is no longer this poller's.
      if (!this.addresses().includes(address)) return;
      const read = loadReadIds(address);
      this.onCount(address, messages.filter((message) => !read.has(message.id)).length);
    } catch {
      // The count keeps its last value; the inbox is asked again in its turn.
    } finally {
      this.busy = false;
    }
  }
}
