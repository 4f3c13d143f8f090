import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import { ReportFailedError, RETRY_AFTER_MS } from '../../report/reports.js';
import { withinReadShare } from '../limits/read-limits.js';
import { fromStore, jsonContent, responseRef } from '../openapi/components.js';
import { ApiProblem } from '../problem.js';
import type { ApiDependencies } from './dependencies.js';
import { loadMessage } from './message-load.js';
import { MESSAGE, messageParams } from './messages.js';
import { exampleReport } from '../openapi/example-report.js';
import { reportSchema } from './report-schema.js';
import { apiRouter, noQuery } from './validation.js';

const FAILED_RETRY_AFTER_SECONDS = RETRY_AFTER_MS / 1_000;

const reportRoute = createRoute({
  tags: ['Messages'], method: 'get', path: `${MESSAGE}/report`, operationId: 'getMessageReport', summary: 'Will it reach the inbox?',
  description: 'The deliverability report: SPF, DKIM, DMARC and ARC as a receiving provider checks them (DNS through `--dns-servers`), '
    + 'content checks that decide spam or inbox, the delivery timeline from the Received chain, and a score from 0 to 10 with what cost what. '
    + 'Made once per message, in a worker thread, and kept while the message is (8 MB of reports, least recently used out first). '
    + 'A DNS server that fails or never answers gives `temperror` results within seconds, never an error of this route; such a report is kept for 30 s, then made again. '
    + 'When no report can be made (the thread overran its time), `503` `report_failed` says why, for 30 s.',
  request: { params: messageParams, query: noQuery },
  responses: {
    200: { description: 'The report.', content: jsonContent(reportSchema, { signedAndAligned: { summary: 'A signed, aligned sign-up mail', value: exampleReport } }) },
    400: responseRef('BadRequest'),
    404: responseRef('NotFound'),
    ...fromStore,
  },
});

/** `GET …/messages/{id}/report`. */
export function reportRoutes(deps: ApiDependencies): OpenAPIHono<BlankEnv> {
  const routes = apiRouter();
  routes.openapi(reportRoute, async (c) => {
    const stored = await loadMessage(deps, c);
    try {
      return c.json(await withinReadShare(deps.limits, c, (signal) => deps.reports.get(stored, signal)), 200);
    } catch (error) {
      if (!(error instanceof ReportFailedError)) throw error;
      throw new ApiProblem(503, 'Report unavailable', `No report could be made of this message because ${error.reason}; try again in ${FAILED_RETRY_AFTER_SECONDS} seconds.`, {
        code: 'report_failed', headers: { 'retry-after': String(FAILED_RETRY_AFTER_SECONDS) },
      });
    }
  });
  return routes;
}
