import { describe, expect, it } from '@jest/globals';
import { sampleOrder, sampleTrigger } from '../test-support/fixtures';
import { parseEmailAddress } from './email-address';
import { decideNotification, displayName, httpLink } from './notification';

describe('decideNotification: what is sent, and to whom', () => {
  it("sends each kind to the order's customer, at the order's address, greeting them by the shipping name", () => {
    for (const trigger of [sampleTrigger('order-confirmed'), sampleTrigger('order-shipped'), sampleTrigger('order-delivered'), sampleTrigger('order-cancelled')]) {
      expect(decideNotification(trigger, sampleOrder())).toEqual({
        send: [{ trigger, order: sampleOrder(), recipient: { role: 'customer', address: { value: 'ada@example.com' }, name: 'Ada Lovelace' } }],
      });
    }
  });

  it('sends a payment failure only while the order still waits for a payment', () => {
    expect('send' in decideNotification(sampleTrigger('payment-failed'), sampleOrder({ status: 'PENDING' }))).toBe(true);
    expect(decideNotification(sampleTrigger('payment-failed'), sampleOrder({ status: 'CONFIRMED' }))).toEqual({
      skip: 'no-longer-awaiting-payment',
      recipient: 'customer',
      detail: 'the order is CONFIRMED, no longer waiting for a payment',
    });
  });

  it('sends nothing, and says why, without an order, without an address or with an unusable one', () => {
    expect(decideNotification(sampleTrigger('order-confirmed'), undefined)).toMatchObject({ skip: 'order-not-found', detail: `Orders does not know order ${sampleOrder().id}` });
    expect(decideNotification(sampleTrigger('order-confirmed'), sampleOrder({ email: undefined }))).toEqual({ skip: 'no-email-address', recipient: 'customer', detail: 'the order has no email address' });
    expect(decideNotification(sampleTrigger('order-confirmed'), sampleOrder({ email: '  ' }))).toMatchObject({ skip: 'no-email-address' });
    expect(decideNotification(sampleTrigger('order-confirmed'), sampleOrder({ email: 'ada@example.com, eve@example.com' }))).toMatchObject({
      skip: 'unusable-email-address',
      detail: "the order's email address cannot be used: the local part has characters outside the unquoted ASCII set",
    });
  });
});

describe('parseEmailAddress', () => {
  it('accepts ordinary addresses and lowercases the domain only', () => {
    expect(parseEmailAddress(' Ada.Lovelace+shop@Example.CO.uk ')).toEqual({ ok: true, address: { value: 'Ada.Lovelace+shop@example.co.uk' } });
  });

  it('refuses anything that could carry a second recipient or a header', () => {
    for (const raw of ['a@example.com\r\nBcc: b@example.com', '"a b"@example.com', 'a@example.com>', '<a@example.com>', 'a@b@example.com', 'a;b@example.com', 'a@localhost', 'josé@example.com', '.a@example.com', 'a..b@example.com', `${'a'.repeat(65)}@example.com`, 'a@-example.com']) {
      expect({ raw, ok: parseEmailAddress(raw).ok }).toEqual({ raw, ok: false });
    }
  });
});

describe('displayName and httpLink', () => {
  it('keeps a name on one line, without controls, at most 100 characters', () => {
    expect(displayName(' Ada\r\nBcc: eve@example.com\u0000 ')).toBe('Ada Bcc: eve@example.com');
    expect(displayName('x'.repeat(150))).toHaveLength(100);
    expect(displayName(' \n ')).toBeUndefined();
    expect(displayName(undefined)).toBeUndefined();
  });

  it('keeps http and https links only', () => {
    expect(httpLink('https://track.example.com/1Z?x=1')).toBe('https://track.example.com/1Z?x=1');
    expect(httpLink('http://track.example.com')).toBe('http://track.example.com/');
    for (const raw of ['javascript:alert(1)', 'data:text/html,<b>', '/relative', 'ftp://example.com', 'not a url', undefined]) expect(httpLink(raw)).toBeUndefined();
  });
});
