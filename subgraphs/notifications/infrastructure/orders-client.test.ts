import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../lib/logging';
import { createMetricsRegistry } from '../../../lib/metrics';
import { internalOrder } from '../../../test/support/notifications';
import { startOrdersInternalApi, type OrdersInternalApi } from '../../../test/support/orders-internal-api';
import { HttpOrderDirectory, OrdersUnavailableError } from './orders-client';

/** The reader of Orders' internal order route, against a real HTTP server that checks its signature. */

const SECRET = 'orders-client-test-signing-secret-0123456789';
const logger = createLogger({ service: 'orders-client-test', level: 'silent' });
let api: OrdersInternalApi;
const clients: HttpOrderDirectory[] = [];
const client = (secret = SECRET) => {
  const created = new HttpOrderDirectory({ baseUrl: api.url, signingSecret: secret, timeoutMs: 2000, breakerThreshold: 50, breakerHalfOpenAfterMs: 1000, registry: createMetricsRegistry('t'), logger });
  clients.push(created);
  return created;
};

beforeAll(async () => {
  api = await startOrdersInternalApi(SECRET);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await api.close();
});

describe('HttpOrderDirectory', () => {
  it('reads an order as the Notifications service, signed over the request', async () => {
    api.orders.set('order-1', internalOrder('order-1'));
    expect(await client().find('order-1')).toEqual({
      id: 'order-1',
      customerId: 'customer-1',
      status: 'CONFIRMED',
      total: { amount: 4497, currency: 'USD' },
      items: internalOrder('order-1').items,
      placedAt: '2026-03-01T09:30:00.000Z',
      paymentDueAt: '2026-03-01T09:45:00.000Z',
      cancellationReason: undefined,
      email: 'order-1@example.com',
      shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Square', line2: undefined, city: 'London', region: undefined, postalCode: 'SW1Y 4JH', country: 'GB' },
    });
    expect(api.requests.at(-1)).toEqual({ path: '/internal/orders/order-1', caller: 'service:notifications' });
  });

  it('answers undefined for an order Orders does not know, with its id escaped in the path', async () => {
    expect(await client().find('no/such order')).toBeUndefined();
    expect(api.requests.at(-1)).toEqual({ path: '/internal/orders/no%2Fsuch%20order', caller: 'service:notifications' });
  });

  it('fails (to be retried) when Orders refuses the signature or cannot answer', async () => {
    api.orders.set('order-2', internalOrder('order-2'));
    await expect(client('another-secret-that-orders-does-not-know-0123').find('order-2')).rejects.toThrow(OrdersUnavailableError);
    expect(api.requests.at(-1)).toEqual({ path: '/internal/orders/order-2', caller: 'rejected' });
    api.failWith = 503;
    try {
      await expect(client().find('order-2')).rejects.toThrow(OrdersUnavailableError);
    } finally {
      api.failWith = undefined;
    }
  });

  it('refuses an answer outside the contract rather than rendering it', async () => {
    api.orders.set('order-3', internalOrder('order-3', { items: [{ ...internalOrder('order-3').items[0]!, productName: 'x'.repeat(501) }] }));
    await expect(client().find('order-3')).rejects.toThrow(new OrdersUnavailableError('Orders did not answer an order lookup, or answered outside its contract'));
    api.orders.set('order-4', internalOrder('order-5'));
    await expect(client().find('order-4')).rejects.toThrow(new OrdersUnavailableError('Orders answered order order-4 with order order-5'));
  });

});
