import { describe, expect, it } from 'vitest';
import { safeHtmlCsp } from '../../src/sanitize/csp.js';
import { get } from './harness.js';
import { inertProblems } from './inert.js';
import { describeHostile, type HostileCase } from './suite.js';
import { carrierMessage, XSS_CARRIERS, type XssCarrier } from './xss-carriers.js';

/**
 * Every XSS carrier over real SMTP; besides what suite.ts asserts of any
 * hostile mail, the script must stay data wherever it travels: JSON for
 * headers, an inert document for HTML (with remote content allowed too), and
 * a sandboxed download for attachments.
 */

function carrierCase(carrier: XssCarrier): HostileCase {
  return {
    name: carrier.name,
    expect: 'stored',
    build: () => Buffer.from(carrierMessage(carrier, 'victim@ephemail.test'), 'utf8'),
    async check(result, server) {
      const problems: string[] = [];
      const message = result.message;
      if (message === null) return ['no full message'];
      for (const answer of result.answers.filter((each) => !/\/(html|text|raw|attachments\/\d+)$/.test(each.path))) {
        if (!answer.headers.get('content-type')?.startsWith('application/json')) problems.push(`${answer.path}: ${answer.headers.get('content-type')}`);
      }
      // Headers come back exactly as sent, as JSON strings: escaping them is the page's job, and the browser tests check it.
      if (carrier.subject !== undefined && message.subject !== carrier.subject) problems.push(`subject ${message.subject}`);
      if (carrier.fromName !== undefined && message.from?.name !== carrier.fromName) problems.push(`sender ${message.from?.name}`);
      if (message.htmlUrl !== null) {
        const remote = await get(server, `${message.htmlUrl}?remote=1`);
        if (remote.headers.get('content-security-policy') !== safeHtmlCsp({ allowRemote: true })) problems.push('remote=1: CSP');
        problems.push(...inertProblems(remote.body.toString('utf8')).map((problem) => `remote=1: ${problem}`));
      }
      for (const answer of result.answers.filter((each) => /\/attachments\/\d+$/.test(each.path) && each.status === 200)) {
        if (!answer.headers.get('content-disposition')?.startsWith('attachment;')) problems.push(`${answer.path}: not a download`);
        if (answer.headers.get('x-content-type-options') !== 'nosniff') problems.push(`${answer.path}: sniffable`);
      }
      const expectedAttachments = carrier.attachments?.length ?? 0;
      if (message.attachments.length !== expectedAttachments) problems.push(`${message.attachments.length} attachments`);
      return problems;
    },
  };
}

describe('the inertness check', () => {
  // Otherwise a check that sees nothing would pass every carrier.
  it.each(XSS_CARRIERS.filter((carrier) => carrier.vector === 'html').map((carrier) => [carrier.name, carrier.html ?? ''] as const))(
    'flags the HTML of "%s" as sent', (_name, html) => {
      expect(inertProblems(html)).not.toEqual([]);
    },
  );
});

describeHostile('XSS carriers over SMTP', XSS_CARRIERS.map(carrierCase));
