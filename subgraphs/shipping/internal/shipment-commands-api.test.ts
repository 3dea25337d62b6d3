import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '../../../lib/ddd';
import { startTestShipping, type TestShipping } from '../../../test/support/shipping';
import { Shipment } from '../domain/shipment';
import type { InternalRoute } from './shipment-commands-api';

/**
 * Shipping's ship and deliver commands as Orders sends them, on DynamoDB Local: idempotent by order id, refusing
 * bad input with the field and the value, and recording each change's event once.
 */

let s: TestShipping;
beforeAll(async () => {
  s = await startTestShipping('shipment-commands');
}, 60_000);
afterAll(() => s?.stop());

const route = (path: string): InternalRoute => {
  const found = s.shipping.commands.find((candidate) => candidate.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return found;
};
const call = (path: string, body: unknown) => route(path).handle({ params: {}, body, caller: 'orders' });
const ship = (body: unknown) => call('/internal/shipments/ship', body);
const check = (body: unknown) => call('/internal/shipments/check', body);
const deliver = (body: unknown) => call('/internal/shipments/deliver', body);
const address = { name: 'Jane Doe', line1: '742 Evergreen Terrace', city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' };
const shipBody = (orderId: string, change: Record<string, unknown> = {}) => ({
  orderId,
  customerId: 'customer-1',
  carrier: 'ups',
  trackingNumber: '1z999aa10123456784',
  address,
  ...change,
});
const eventsOf = (orderId: string) => s.committed.filter((event) => event.data.orderId === orderId).map((event) => event.type);

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, the command succeeded');
}

describe('the internal shipment commands', () => {
  it('are POST routes only the Orders service may call', () => {
    expect(s.shipping.commands.map((r) => [r.method, r.path, r.callers])).toEqual([
      ['POST', '/internal/shipments/check', ['orders']],
      ['POST', '/internal/shipments/ship', ['orders']],
      ['POST', '/internal/shipments/deliver', ['orders']],
    ]);
  });

  it('check: answers the tracking ship would record, refuses what ship would refuse, and writes nothing', async () => {
    const orderId = randomUUID();
    expect(await check(shipBody(orderId))).toEqual({ carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' });
    const badNumber = await failureOf(check(shipBody(orderId, { trackingNumber: '1Z999AA10123456785' })));
    expect([badNumber.code, badNumber.details?.['field']]).toEqual([ErrorCode.BAD_USER_INPUT, 'trackingNumber']);
    const badAddress = await failureOf(check(shipBody(orderId, { address: { ...address, postalCode: 'SW1A 2AA' } })));
    expect([badAddress.code, badAddress.details?.['field']]).toEqual([ErrorCode.BAD_USER_INPUT, 'address.postalCode']);
    expect(eventsOf(orderId)).toEqual([]);
    expect(await s.shipping.deps.shipments.findByOrderId(orderId)).toBeNull();

    // Once shipped, the same tracking checks out (a repeated shipOrder) and other tracking is the ship command's CONFLICT.
    await ship(shipBody(orderId));
    expect(await check(shipBody(orderId))).toMatchObject({ trackingNumber: '1Z999AA10123456784' });
    expect((await failureOf(check(shipBody(orderId, { carrier: 'FedEx', trackingNumber: '123456789012' })))).code).toBe(ErrorCode.CONFLICT);
    expect(eventsOf(orderId)).toEqual(['shipment.created', 'shipment.shipped']);
  });

  it('ship: creates the shipment when order.confirmed has not been handled yet, ships it and answers it', async () => {
    const orderId = randomUUID();
    const answer = (await ship(shipBody(orderId))) as Record<string, unknown>;
    expect(answer).toEqual({
      id: expect.any(String),
      orderId,
      customerId: 'customer-1',
      status: 'SHIPPED',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      address,
      createdAt: expect.any(String),
      shippedAt: answer['createdAt'],
    });
    expect(eventsOf(orderId)).toEqual(['shipment.created', 'shipment.shipped']);
    expect(s.committed.find((event) => event.type === 'shipment.shipped' && event.data.orderId === orderId)?.data).toEqual({
      orderId,
      shipmentId: answer['id'],
      customerId: 'customer-1',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      at: answer['shippedAt'],
    });
  });

  it('ship and deliver repeated answer the shipment as it is and record nothing more', async () => {
    const orderId = randomUUID();
    const first = await ship(shipBody(orderId));
    expect(await ship(shipBody(orderId, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' }))).toEqual(first);
    const delivered = (await deliver({ orderId })) as Record<string, unknown>;
    expect(delivered).toMatchObject({ orderId, status: 'DELIVERED', deliveredAt: expect.any(String) });
    expect(await deliver({ orderId })).toEqual(delivered);
    expect(await ship(shipBody(orderId))).toEqual(delivered);
    expect(eventsOf(orderId)).toEqual(['shipment.created', 'shipment.shipped', 'shipment.delivered']);
  });

  it('ships once when the same command arrives many times at once', async () => {
    const orderId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => ship(shipBody(orderId))));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(eventsOf(orderId)).toEqual(['shipment.created', 'shipment.shipped']);
  });

  it('refuses to ship again with another carrier or number (CONFLICT)', async () => {
    const orderId = randomUUID();
    await ship(shipBody(orderId));
    const error = await failureOf(ship(shipBody(orderId, { carrier: 'FedEx', trackingNumber: '449044304137821' })));
    expect([error.code, error.message]).toEqual([ErrorCode.CONFLICT, `order ${orderId} was shipped already with UPS 1Z999AA10123456784`]);
  });

  it('refuses a ship command for another customer than the order’s (CONFLICT)', async () => {
    const orderId = randomUUID();
    await ship(shipBody(orderId));
    const error = await failureOf(ship(shipBody(orderId, { customerId: 'customer-2' })));
    expect([error.code, error.message]).toEqual([ErrorCode.CONFLICT, `order ${orderId} belongs to another customer than "customer-2"`]);
  });

  it.each([
    ['no body', undefined, 'orderId must be 1-200 characters, got 0 ("")'],
    ['an array', [1], 'orderId must be 1-200 characters, got 0 ("")'],
    ['a number as order id', { ...shipBody('x'), orderId: 42 }, 'orderId must be 1-200 characters, got 0 ("")'],
    ['no customer', shipBody('order-1', { customerId: undefined }), 'customerId must be 1-200 characters, got 0 ("")'],
    ['a bad tracking number', shipBody('order-1', { trackingNumber: '1Z999AA10123456785' }), 'trackingNumber "1Z999AA10123456785" is not a UPS tracking number (its format or check digit does not match); check it, or name the carrier that issued it'],
    ['no address', shipBody('order-1', { address: undefined }), 'address.name must be 1-100 characters, got 0 ("")'],
    ['a bad postal code', shipBody('order-1', { address: { ...address, postalCode: '1234' } }), 'address.postalCode "1234" is not a valid postal code for US'],
    ['a bad country', shipBody('order-1', { address: { ...address, country: 'Utopia' } }), 'address.country must be an ISO 3166-1 alpha-2 country code such as US, DE or JP, got "Utopia"'],
  ])('ship refuses %s (BAD_USER_INPUT), writing nothing', async (_label, body, message) => {
    const before = s.committed.length;
    const error = await failureOf(ship(body));
    expect([error.code, error.message]).toEqual([ErrorCode.BAD_USER_INPUT, message]);
    expect(s.committed.length).toBe(before);
  });

  it('deliver refuses an order without a shipment (NOT_FOUND) and a READY one (CONFLICT)', async () => {
    const unknown = await failureOf(deliver({ orderId: 'no-such-order' }));
    expect([unknown.code, unknown.message]).toEqual([ErrorCode.NOT_FOUND, 'order "no-such-order" has no shipment']);
    expect((await failureOf(deliver({}))).code).toBe(ErrorCode.BAD_USER_INPUT);
    const orderId = randomUUID();
    await s.shipping.deps.shipments.save(Shipment.prepare({ id: randomUUID(), orderId, customerId: 'customer-1', now: new Date() }));
    const ready = await failureOf(deliver({ orderId }));
    expect([ready.code, ready.message]).toEqual([ErrorCode.CONFLICT, `the shipment of order ${orderId} is READY: it must be shipped before it can be delivered`]);
  });
});
