import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  canonicalDomain, checkAddress, checkLocalPart, generateLocalPart, isAcceptedDomain, type DomainPolicy,
} from '../../mail/address/address.js';
import type { ApiDependencies } from './dependencies.js';
import type { ApiDomains, ApiInbox } from './types.js';
import { inboxFromParam } from './inbox-param.js';
import { applyFilter, readFilter, readLimit } from './message-filter.js';
import { ApiProblem } from '../problem.js';
import { toApiSummary } from './views.js';

const MAX_BODY_BYTES = 16 * 1024;

/** Domains, inbox creation, address checks, listing and emptying inboxes. */
export function inboxRoutes(deps: ApiDependencies): Hono {
  const routes = new Hono();
  const { domains, store, summaries } = deps;

  routes.get('/domains', (c) => c.json<ApiDomains>({
    domains: domains.domains, defaultDomain: domains.defaultDomain, catchAll: domains.catchAll, ttlSeconds: deps.ttlMs / 1_000,
  }));

  routes.post('/inboxes', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw tooLarge(); } }), async (c) => {
    const body = await readJsonBody(await c.req.text());
    const domain = chooseDomain(body.domain, domains);
    const inbox: ApiInbox = body.localPart === undefined
      ? { address: `${generateLocalPart()}@${domain}`, random: true, public: false, ttlSeconds: deps.ttlMs / 1_000 }
      : { address: chosenAddress(body.localPart, domain), random: false, public: true, ttlSeconds: deps.ttlMs / 1_000 };
    return c.json(inbox, 201);
  });

  routes.get('/addresses/check', (c) => {
    const localPart = c.req.query('localPart') ?? '';
    try {
      const address = chosenAddress(localPart, chooseDomain(c.req.query('domain'), domains));
      return c.json({ valid: true, reason: null, address, public: true });
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      return c.json({ valid: false, reason: error.detail, address: null, public: true });
    }
  });

  routes.get('/inboxes/:address/messages', async (c) => {
    const inbox = inboxFromParam(c.req.param('address'), domains);
    const filter = readFilter((name) => c.req.query(name));
    const limit = readLimit(c.req.query('limit'));
    const messages = applyFilter(await summaries.list(inbox), filter).slice(0, limit);
    return c.json({ address: inbox, messages: messages.map(toApiSummary) });
  });

  routes.delete('/inboxes/:address', async (c) => {
    const inbox = inboxFromParam(c.req.param('address'), domains);
    return c.json({ deleted: await store.deleteInbox(inbox) });
  });

  return routes;
}

interface InboxRequest {
  localPart?: string;
  domain?: string;
}

async function readJsonBody(text: string): Promise<InboxRequest> {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiProblem(400, 'Invalid JSON', 'The request body is not valid JSON; send {"localPart": "name"} or nothing.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiProblem(400, 'Invalid body', 'The request body must be a JSON object such as {"localPart": "name"}.');
  }
  const { localPart, domain } = body as Record<string, unknown>;
  for (const [name, value] of [['localPart', localPart], ['domain', domain]] as const) {
    if (value !== undefined && typeof value !== 'string') {
      throw new ApiProblem(400, 'Invalid body', `${name} must be a string.`);
    }
  }
  return body as InboxRequest;
}

function chooseDomain(requested: string | undefined, domains: DomainPolicy): string {
  if (requested === undefined || requested.trim() === '') return domains.defaultDomain;
  const domain = canonicalDomain(requested.trim());
  if (domain === null || !isAcceptedDomain(domain, domains)) {
    throw new ApiProblem(400, 'Domain not accepted', `This server does not take mail for "${requested}"; choose one of ${domains.domains.join(', ')}.`);
  }
  return domain;
}

function chosenAddress(localPart: string, domain: string): string {
  // The same rules as SMTP; a chosen name is written in Latin letters so anyone can type it.
  const reason = checkLocalPart(localPart, { smtpUtf8: false });
  if (reason !== null) throw new ApiProblem(400, 'Invalid name', reason);
  const check = checkAddress(`${localPart}@${domain}`, { smtpUtf8: false });
  if (!check.ok) throw new ApiProblem(400, 'Invalid name', check.reason);
  return check.address.inbox;
}

function tooLarge(): ApiProblem {
  // Closing the connection spares Node reading the rest of the body just to reuse it.
  return new ApiProblem(413, 'Payload Too Large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB; an inbox request needs only a name and a domain.`, { connection: 'close' });
}
