import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { configErrorOf } from '../support/config-error.js';

describe('--data-dir and --data-dir-reset', () => {
  it('keep mail in memory only by default, and take the reset switch with a directory, from flags or the environment', () => {
    expect(parseConfig([], {}).store.dataDir).toBeNull();
    expect(parseConfig(['--data-dir', '/var/lib/ephemail', '--data-dir-reset', 'true'], {}).store.dataDir).toEqual({ path: '/var/lib/ephemail', resetIfUnusable: true });
    expect(parseConfig([], { EPHEMAIL_DATA_DIR: '/data', EPHEMAIL_DATA_DIR_RESET: 'yes' }).store.dataDir).toEqual({ path: '/data', resetIfUnusable: true });
    expect(parseConfig(['--data-dir-reset', 'false'], { EPHEMAIL_DATA_DIR_RESET: 'true' }).store.dataDir).toBeNull();
  });

  it('refuse a relative directory, naming the option', () => {
    expect(configErrorOf(['--data-dir', 'data'])).toBe('--data-dir: "data" is not an absolute path; give the whole path of the directory, e.g. /var/lib/ephemail');
  });

  it('refuse a data directory beside a Redis store, which keeps the mail itself', () => {
    expect(configErrorOf(['--data-dir', '/data', '--store', 'redis://cache:6379/0'])).toBe(
      '--data-dir: applies to --store memory only; with --store redis://… the mail is in Redis, whose own persistence keeps it across restarts (docs/deployment.md), so leave --data-dir out',
    );
  });

  it('refuse the reset switch without a directory', () => {
    expect(configErrorOf(['--data-dir-reset', 'true'])).toBe('--data-dir-reset: "true" needs --data-dir; without a data directory there is nothing to reset');
    expect(configErrorOf(['--data-dir-reset', 'maybe'])).toBe('--data-dir-reset: "maybe" is not a switch; use true or false');
  });
});
