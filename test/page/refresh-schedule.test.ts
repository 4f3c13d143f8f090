import { describe, expect, it } from 'vitest';
import { REFRESH_MS, STEP_MS, nextToRefresh } from '../../public/js/address/refresh-schedule.js';

/** Runs the page's schedule for `durationMs`, one step at a time, as its poller does; returns each request's time by inbox. */
function simulate(addresses: string[], durationMs: number): Map<string, number[]> {
  const askedAt = new Map<string, number>();
  const requests = new Map<string, number[]>(addresses.map((address) => [address, []]));
  for (let now = 0; now < durationMs; now += STEP_MS) {
    const address = nextToRefresh(addresses, askedAt, now);
    if (address === null) continue;
    askedAt.set(address, now);
    requests.get(address)?.push(now);
  }
  return requests;
}

const inboxes = (count: number) => Array.from({ length: count }, (_, index) => `saved-${index}@ephemail.test`);
const total = (requests: Map<string, number[]>) => [...requests.values()].reduce((sum, times) => sum + times.length, 0);

describe('nextToRefresh', () => {
  it('asks about an inbox never asked before ahead of the others', () => {
    const askedAt = new Map([['a@ephemail.test', 0]]);
    expect(nextToRefresh(['a@ephemail.test', 'b@ephemail.test'], askedAt, 60_000)).toBe('b@ephemail.test');
  });

  it('then the one asked longest ago, once it is a refresh period old', () => {
    const askedAt = new Map([['a@ephemail.test', 5_000], ['b@ephemail.test', 1_000]]);
    expect(nextToRefresh(['a@ephemail.test', 'b@ephemail.test'], askedAt, 1_000 + REFRESH_MS - 1)).toBeNull();
    expect(nextToRefresh(['a@ephemail.test', 'b@ephemail.test'], askedAt, 1_000 + REFRESH_MS)).toBe('b@ephemail.test');
  });

  it('has nothing to ask about without saved inboxes', () => {
    expect(nextToRefresh([], new Map(), 0)).toBeNull();
  });

  it('keeps twenty saved inboxes to one request per step, a twentieth of the default rate limit, and asks each in turn', () => {
    const requests = simulate(inboxes(19), 10 * 60_000);
    // 600 requests a minute is the default --rate-limit.
    expect(total(requests) / 10).toBeLessThanOrEqual(600 / 20);
    for (const times of requests.values()) {
      expect(times.length).toBeGreaterThanOrEqual(14);
      const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(19 * STEP_MS);
    }
  });

  it('asks about a few saved inboxes every refresh period, and no more often', () => {
    const requests = simulate(inboxes(2), 60_000);
    for (const times of requests.values()) {
      const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(REFRESH_MS);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(REFRESH_MS + STEP_MS);
    }
    expect(total(requests)).toBeLessThanOrEqual(2 * (60_000 / REFRESH_MS) + 2);
  });
});
