import { ephemail, type EphemailClient, type Inbox } from '../client/index.js';
import { UsageError } from './command.js';

/** Where the commands find the server unless --url or EPHEMAIL_URL says otherwise. */
const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The --url lines of every command's help. */
export const URL_HELP = `  --url URL       the server; default EPHEMAIL_URL, else ${DEFAULT_URL}`;

/** The server named by --url, else EPHEMAIL_URL, else the default, with a client of it; a bad URL is a usage error naming where it came from. */
export function serverFor(url: string | undefined, env: Readonly<Record<string, string | undefined>>): { url: string; client: EphemailClient } {
  const [source, value] = url !== undefined ? ['--url', url]
    : env.EPHEMAIL_URL !== undefined ? ['EPHEMAIL_URL', env.EPHEMAIL_URL]
      : ['--url', DEFAULT_URL];
  try {
    // The client's own rule decides what a server URL is.
    return { url: value, client: ephemail(value) };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new UsageError(`${source}: "${value}" is not an http(s) URL; use the server's address, such as ${DEFAULT_URL}.`);
  }
}

/** A client of the server `serverFor` names. */
export function clientFor(url: string | undefined, env: Readonly<Record<string, string | undefined>>): EphemailClient {
  return serverFor(url, env).client;
}

/** The inbox of `address`; text that is not an address is a usage error. */
export function inboxFor(client: EphemailClient, address: string): Inbox {
  try {
    return client.inbox(address);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new UsageError(`"${address}" is not an email address; give one such as name@ephemail.test.`);
  }
}
