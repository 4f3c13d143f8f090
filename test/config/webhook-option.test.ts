import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { configErrorOf } from '../support/config-error.js';

const SECRET = 'a-webhook-secret-of-32-characters';

describe('--webhook-url and --webhook-secret', () => {
  it('are off by default, and a secret alone turns nothing on', () => {
    expect(parseConfig([], {}).webhook).toBeNull();
    expect(parseConfig([], { EPHEMAIL_WEBHOOK_SECRET: SECRET }).webhook).toBeNull();
  });

  it('take an http or https URL with its secret, from flags or the environment', () => {
    expect(parseConfig(['--webhook-url', ' https://hooks.example.com/ephemail?team=qa ', '--webhook-secret', SECRET], {}).webhook)
      .toEqual({ url: 'https://hooks.example.com/ephemail?team=qa', secret: SECRET, linkBase: '' });
    expect(parseConfig([], { EPHEMAIL_WEBHOOK_URL: 'http://127.0.0.1:9000', EPHEMAIL_WEBHOOK_SECRET: SECRET }).webhook)
      .toEqual({ url: 'http://127.0.0.1:9000/', secret: SECRET, linkBase: '' });
  });

  it('reads the secret from the environment, and the flag wins over it', () => {
    const url = ['--webhook-url', 'https://hooks.example.com/'];
    expect(parseConfig(url, { EPHEMAIL_WEBHOOK_SECRET: SECRET }).webhook?.secret).toBe(SECRET);
    expect(parseConfig([...url, '--webhook-secret', `${SECRET}-flag`], { EPHEMAIL_WEBHOOK_SECRET: SECRET }).webhook?.secret).toBe(`${SECRET}-flag`);
  });

  it('makes links absolute under the first --public-url origin', () => {
    const config = parseConfig(['--webhook-url', 'https://hooks.example.com/', '--webhook-secret', SECRET, '--public-url', 'https://mail.example.com,https://other.example.com'], {});
    expect(config.webhook?.linkBase).toBe('https://mail.example.com');
  });

  it.each([
    [['--webhook-url', 'ftp://hooks.example.com/'], /^--webhook-url: "ftp:\/\/hooks.example.com\/" is not an http or https URL; use e\.g\. https:\/\//],
    [['--webhook-url', 'hooks.example.com'], /^--webhook-url: ".*" is not an http or https URL/],
    [['--webhook-url', 'https://user:pass@hooks.example.com/'], /^--webhook-url: ".*" has a user name or password, which is never sent/],
  ])('refuses the URL %j with a line naming the option', (argv, message) => {
    expect(configErrorOf([...argv, '--webhook-secret', SECRET])).toMatch(message);
  });

  it('requires a secret with the URL, and names the option', () => {
    expect(configErrorOf(['--webhook-url', 'https://hooks.example.com/'])).toMatch(/^--webhook-secret: missing; --webhook-url posts signed messages, so give a secret of at least 16 characters/);
  });

  it('refuses a short secret without ever echoing it', () => {
    const message = configErrorOf(['--webhook-url', 'https://hooks.example.com/'], { EPHEMAIL_WEBHOOK_SECRET: 'hunter2-short' });
    expect(message).toMatch(/^--webhook-secret: has 13 characters; use at least 16/);
    expect(message).not.toContain('hunter2');
  });
});
