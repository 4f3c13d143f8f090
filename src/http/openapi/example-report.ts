import { explained } from '../../report/auth-verdicts.js';
import { finding } from '../../report/penalties.js';
import { sentence } from '../../report/sentences/sentences.js';
import type { ApiReport } from '../api/types.js';

const spf = sentence('spf.pass', { domain: 'mailer.acme.example', ip: '198.51.100.25' });
const dkim = sentence('dkim.pass', { domain: 'acme.example' });
const dmarc = sentence('dmarc.pass-dkim-spf', { domain: 'acme.example', policy: 'reject' });

/** The report of a signed, aligned sign-up mail that lacks only a plain-text part. */
export const exampleReport: ApiReport = {
  score: 9,
  authentication: {
    spf: { result: 'pass', domain: 'mailer.acme.example', ...explained(spf) },
    dkim: [{
      result: 'pass', domain: 'acme.example', selector: 's2026', aligned: true,
      signedHeaders: ['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type'],
      ...explained(dkim),
    }],
    dmarc: {
      result: 'pass', domain: 'acme.example', policy: 'reject', alignment: { spf: true, dkim: true },
      ...explained(dmarc),
    },
    arc: { result: 'none', instances: 0, ...explained(sentence('arc.none')) },
    dnsChecked: true,
  },
  checks: [
    finding('text-part', 'fail', sentence('text-part.missing')),
    finding('spf', 'pass', spf),
    finding('dkim', 'pass', dkim),
    finding('dmarc', 'pass', dmarc),
    finding('from-alignment', 'pass', sentence('from-alignment.pass', { domain: 'acme.example' })),
  ],
  timeline: {
    sentAt: '2026-03-14T09:26:50.000Z',
    receivedAt: '2026-03-14T09:26:53.000Z',
    hops: [
      { from: 'app-7.acme.example', by: 'mailer.acme.example', at: '2026-03-14T09:26:51.000Z', delaySeconds: 1 },
      { from: 'mailer.acme.example', by: 'ephemail.test', at: '2026-03-14T09:26:53.000Z', delaySeconds: 2 },
    ],
    totalSeconds: 3,
    omittedHops: 0,
  },
};
