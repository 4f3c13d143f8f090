import type { ApiReport } from '../api/types.js';

/** The report of a signed, aligned sign-up mail that lacks only a plain-text part. */
export const exampleReport: ApiReport = {
  score: 9,
  authentication: {
    spf: { result: 'pass', domain: 'mailer.acme.example', explanation: 'mailer.acme.example\'s SPF record allows 198.51.100.25 to send its mail.' },
    dkim: [{
      result: 'pass', domain: 'acme.example', selector: 's2026', aligned: true,
      signedHeaders: ['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type'],
      explanation: 'The signature of acme.example verifies: nothing it covers changed since it was signed.',
    }],
    dmarc: {
      result: 'pass', domain: 'acme.example', policy: 'reject', alignment: { spf: true, dkim: true },
      explanation: 'The message passes acme.example\'s DMARC policy (p=reject): DKIM and SPF passed for acme.example itself.',
    },
    arc: { result: 'none', instances: 0, explanation: 'No forwarder sealed this message with ARC; ARC matters only for mail forwarded by lists or relays that change it.' },
    dnsChecked: true,
  },
  checks: [
    { id: 'text-part', status: 'fail', message: 'The message has HTML but no plain-text part; send it as multipart/alternative with a text/plain version, which filters expect and text-only readers need.', penalty: 1 },
    { id: 'spf', status: 'pass', message: 'mailer.acme.example\'s SPF record allows 198.51.100.25 to send its mail.', penalty: 0 },
    { id: 'dkim', status: 'pass', message: 'The signature of acme.example verifies: nothing it covers changed since it was signed.', penalty: 0 },
    { id: 'dmarc', status: 'pass', message: 'The message passes acme.example\'s DMARC policy (p=reject): DKIM and SPF passed for acme.example itself.', penalty: 0 },
    { id: 'from-alignment', status: 'pass', message: 'The From domain acme.example matches the domain that signs or sends the message.', penalty: 0 },
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
