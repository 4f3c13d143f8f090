import { describe, expect, it } from 'vitest';
import { ADDRESS_REASON_CODES } from '../../src/mail/address/reasons.js';
import { EXAMPLES } from '../support/address-reason-examples.js';
import { readDictionary, slotsOf } from '../support/locales.js';

/**
 * The page words each address refusal by its code ("reason.<code>"), filled
 * with the values the server sends. The server's table of codes and the
 * page's words cannot drift: every code has words, and their slots are
 * exactly the values that code carries.
 */
const english = readDictionary('en');

describe('the page\'s words for address refusals', () => {
  it('cover every code the server can send, and no other', () => {
    const worded = Object.keys(english).filter((key) => key.startsWith('reason.')).map((key) => key.slice('reason.'.length));
    expect(worded.sort()).toEqual([...ADDRESS_REASON_CODES].sort());
  });

  it.each(EXAMPLES)('%s has a slot for each value it carries, and no other', (code, _input, values) => {
    const entry = english[`reason.${code}`];
    expect(entry).toBeDefined();
    const slots = [...slotsOf(entry ?? '')];
    expect(slots.sort()).toEqual(Object.keys(values).sort());
  });
});
