import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { canonicalDomain, generateLocalPart, isAcceptedDomain, type DomainPolicy } from '../../mail/address/address.js';
import { checkChosenAddress } from '../../mail/address/chosen-address.js';
import { addressReason } from '../../mail/address/reasons.js';
import { simulatorDomainNotForInboxes } from '../../mail/address/simulator-names.js';
import type { BlankEnv } from 'hono/types';
import type { ApiDependencies } from './dependencies.js';
import { addressParam, addressProblem, inboxFromParam } from './inbox-param.js';
import { readInboxRequest } from './inbox-request.js';
import { afterSince, beforeQuery, filterQuery, limitQuery, matches, olderThan } from './message-filter.js';
import { ApiProblem } from '../problem.js';
import { withinReadShare } from '../limits/read-limits.js';
import { addressCheckSchema, deletedSchema, domainsSchema, inboxRequestSchema, inboxSchema, messageListSchema } from './schemas.js';
import type { ApiInbox } from './types.js';
import { apiRouter, noQuery, queryOf } from './validation.js';
import { toApiSummary } from './views.js';
import { fromStore, jsonContent, otherwise, problemContent, responseRef } from '../openapi/components.js';
import { exampleChecks, exampleDeleted, exampleDomains, exampleInboxes, exampleList, exampleProblems } from '../openapi/examples.js';

const inboxParams = z.object({ address: addressParam });

const domainsRoute = createRoute({
  method: 'get', path: '/domains', operationId: 'getDomains', tags: ['Inboxes'], summary: 'List the accepted domains',
  request: { query: noQuery },
  responses: {
    200: { description: 'The domains.', content: jsonContent(domainsSchema, { default: { summary: 'Default settings', value: exampleDomains } }) },
    400: responseRef('BadRequest'),
    ...otherwise,
  },
});

const createInboxRoute = createRoute({
  method: 'post', path: '/inboxes', operationId: 'createInbox', tags: ['Inboxes'], summary: 'Create an inbox',
  description: 'Without `localPart`, makes a random, unguessable address on the default domain (the usual choice for tests). With `localPart`, checks the chosen name and returns its normalised address; chosen names are public. Nothing is stored: an inbox exists as soon as mail is sent to it.',
  middleware: readInboxRequest,
  request: {
    query: noQuery,
    // Referenced rather than given as zod: readInboxRequest reads the body (see there), the route's own JSON validator must not.
    body: {
      description: 'Optional; send nothing (or `{}`) for a random address.', required: false,
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/ApiInboxRequest' },
          examples: {
            random: { summary: 'Random address', value: {} },
            chosen: { summary: 'Chosen name', value: { localPart: 'qa-signup', domain: 'ephemail.test' } },
          },
        },
      },
    },
  },
  responses: {
    201: {
      description: 'The inbox.',
      content: jsonContent(inboxSchema, {
        random: { summary: 'Random address (each x stands for a random symbol)', value: exampleInboxes.random },
        chosen: { summary: 'Chosen name', value: exampleInboxes.chosen },
      }),
    },
    400: {
      description: 'The name is invalid, the domain is not accepted, or the body is not a JSON object of `localPart` and `domain`.',
      content: problemContent({
        invalidName: exampleProblems.invalidName, domainNotAccepted: exampleProblems.domainNotAccepted,
        invalidBody: exampleProblems.invalidBody, unknownField: exampleProblems.unknownField,
      }),
    },
    413: responseRef('PayloadTooLarge'),
    ...otherwise,
  },
});

const checkAddressRoute = createRoute({
  method: 'get', path: '/addresses/check', operationId: 'checkAddress', tags: ['Inboxes'], summary: 'Check a chosen name',
  description: 'Live validation for a form: never an error for a bad name, but `valid: false` with a reason.',
  request: {
    query: queryOf({
      localPart: z.string().optional().openapi({ param: { description: 'The name to check (the part before @).', example: 'qa-signup' } }),
      domain: z.string().optional().openapi({ param: { description: 'The domain; defaults to the default domain.', example: 'ephemail.test' } }),
    }),
  },
  responses: {
    200: {
      description: 'Whether the name would be accepted.',
      content: jsonContent(addressCheckSchema, {
        valid: { summary: 'Valid', value: exampleChecks.valid },
        invalid: { summary: 'Invalid', value: exampleChecks.invalid },
      }),
    },
    400: responseRef('BadRequest'),
    ...otherwise,
  },
});

const listRoute = createRoute({
  method: 'get', path: '/inboxes/{address}/messages', operationId: 'listMessages', tags: ['Messages'], summary: 'List messages',
  description: 'The messages of an inbox that pass every given filter, newest first. An inbox nobody has written to is simply empty. '
    + 'A page holds at most `limit` (200) summaries of at most 4 KB each. To page back through a larger inbox, pass the id of the oldest message '
    + 'of a page as `before`; a page with fewer than `limit` messages is the last.',
  request: { params: inboxParams, query: queryOf({ ...filterQuery, before: beforeQuery, limit: limitQuery }) },
  responses: {
    200: { description: 'The messages.', content: jsonContent(messageListSchema, { one: { summary: 'One message', value: exampleList } }) },
    400: responseRef('BadRequest'),
    ...fromStore,
  },
});

const emptyInboxRoute = createRoute({
  method: 'delete', path: '/inboxes/{address}', operationId: 'emptyInbox', tags: ['Inboxes'], summary: 'Empty an inbox',
  description: 'Deletes every message of the inbox. Live subscribers get a `deleted` event for each.',
  request: { params: inboxParams, query: noQuery },
  responses: {
    200: { description: 'How many messages were deleted.', content: jsonContent(deletedSchema, { deleted: { summary: 'Three messages', value: exampleDeleted } }) },
    400: responseRef('BadRequest'),
    ...fromStore,
  },
});

/** Domains, inbox creation, address checks, listing and emptying inboxes. */
export function inboxRoutes(deps: ApiDependencies): OpenAPIHono<BlankEnv> {
  const routes = apiRouter();
  const { domains, store, summaries } = deps;
  routes.openAPIRegistry.register('ApiInboxRequest', inboxRequestSchema);

  routes.openapi(domainsRoute, (c) => c.json({
    domains: domains.domains, defaultDomain: domains.defaultDomain, catchAll: domains.catchAll, ttlSeconds: deps.ttlMs / 1_000,
  }, 200));

  routes.openapi(createInboxRoute, (c) => {
    const body = c.get('inboxRequest');
    const domain = chooseDomain(body.domain, domains);
    const inbox: ApiInbox = body.localPart === undefined
      ? { address: `${generateLocalPart()}@${domain}`, random: true, public: false, ttlSeconds: deps.ttlMs / 1_000 }
      : { address: chosenAddress(body.localPart, domain), random: false, public: true, ttlSeconds: deps.ttlMs / 1_000 };
    return c.json(inbox, 201);
  });

  routes.openapi(checkAddressRoute, (c) => {
    const query = c.req.valid('query');
    try {
      const address = chosenAddress(query.localPart ?? '', chooseDomain(query.domain, domains));
      return c.json({ valid: true, reason: null, reasonCode: null, reasonValues: null, address, public: true as const }, 200);
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.reason === null) throw error;
      const { code, values, text } = error.reason;
      return c.json({ valid: false, reason: text, reasonCode: code, reasonValues: values, address: null, public: true as const }, 200);
    }
  });

  routes.openapi(listRoute, async (c) => {
    const inbox = inboxFromParam(c.req.valid('param').address, domains);
    const { limit, before, ...filter } = c.req.valid('query');
    const heads = olderThan(afterSince(await store.list(inbox), filter.since), before);
    // A client that hangs up stops the digests read for it: nobody would read the answer.
    const messages = await withinReadShare(deps.limits, c, (signal) =>
      summaries.select(heads, (summary) => matches(summary, filter), limit, signal));
    return c.json({ address: inbox, messages: messages.map(toApiSummary) }, 200);
  });

  routes.openapi(emptyInboxRoute, async (c) => {
    const inbox = inboxFromParam(c.req.valid('param').address, domains);
    return c.json({ deleted: await store.deleteInbox(inbox) }, 200);
  });

  return routes;
}

function chooseDomain(requested: string | undefined, domains: DomainPolicy): string {
  if (requested === undefined || requested.trim() === '') return domains.defaultDomain;
  const domain = canonicalDomain(requested.trim());
  if (domain === null || !isAcceptedDomain(domain, domains)) {
    throw addressProblem('domain_not_accepted', addressReason('domain_not_accepted', { domain: requested, domains: domains.domains }));
  }
  if (domain === domains.simulatorDomain) throw addressProblem('domain_not_accepted', simulatorDomainNotForInboxes(domain));
  return domain;
}

function chosenAddress(localPart: string, domain: string): string {
  // The rule RCPT TO follows too, so SMTP refuses what this refuses, with the same sentence.
  const check = checkChosenAddress(localPart, domain);
  if (!check.ok) throw addressProblem('invalid_name', check.reason);
  return check.address.inbox;
}
