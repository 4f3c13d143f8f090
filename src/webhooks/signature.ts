import { createHmac } from 'node:crypto';

/**
 * The value of the X-Ephemail-Signature header: `sha256=` and the hex
 * HMAC-SHA256 of the exact body bytes under the operator's secret. A receiver
 * computes the same over the body it read, before parsing it, and compares
 * in constant time.
 */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
