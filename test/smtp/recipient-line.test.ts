import { describe, expect, it } from 'vitest';
import { readRecipientLine, recipientLineReplies } from '../../src/smtp/recipient-line.js';

describe('readRecipientLine', () => {
  it.each([
    ['RCPT TO:<a@ephemail.test>', 'a@ephemail.test', ''],
    ['rcpt to: <A..B@Ephemail.TEST>  NOTIFY=NEVER ORCPT=rfc822;a@b', 'A..B@Ephemail.TEST', 'NOTIFY=NEVER ORCPT=rfc822;a@b'],
    ['RCPT TO:<"a b"@ephemail.test>', '"a b"@ephemail.test', ''],
    ['RCPT TO:< a(b)@ephemail.test\t>', ' a(b)@ephemail.test\t', ''],
    ['RCPT TO:<qq:b@ephemail.test>', 'qq:b@ephemail.test', ''],
    ['RCPT TO:<@relay.test,@other.test:a@ephemail.test>', 'a@ephemail.test', ''],
    ['RCPT TO:<@ephemail.test>', '@ephemail.test', ''],
    ['RCPT TO:<Postmaster>', 'Postmaster', ''],
  ])('reads %s as written', (line, written, params) => {
    expect(readRecipientLine(line)).toEqual({ ok: true, written, params });
  });

  it.each([
    ['RCPT TO:a@ephemail.test', recipientLineReplies.unreadable],
    ['RCPT TO:<a@ephemail.test', recipientLineReplies.unreadable],
    ['RCPT TO:<a<b>@ephemail.test>', recipientLineReplies.unreadable],
    ['RCPT TO:<a@ephemail.test>NOTIFY=NEVER', recipientLineReplies.unreadable],
    ['RCPT  TO:<a@ephemail.test>', recipientLineReplies.unreadable],
    ['RCPT FROM:<a@ephemail.test>', recipientLineReplies.unreadable],
    ['RCPT TO:', recipientLineReplies.unreadable],
    ['RCPT TO:<>', recipientLineReplies.empty],
    ['RCPT TO:<@relay.test:>', recipientLineReplies.empty],
  ])('finds no address to judge in %s', (line, reply) => {
    expect(readRecipientLine(line)).toEqual({ ok: false, reply });
  });
});
