import type { NotificationTrigger } from '../domain/notification';
import type { OrderSnapshot } from '../domain/order-snapshot';

/** An order as Orders would answer for it, with values a test overrides. */
export function sampleOrder(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    id: '3f2b9c1e-7a4d-4e2b-9f1a-0c8d6e5b4a21',
    customerId: 'customer-1',
    status: 'CONFIRMED',
    total: { amount: 4497, currency: 'USD' },
    items: [
      { productId: 'product-1', productName: 'Blue Mug', unitPrice: { amount: 1250, currency: 'USD' }, quantity: 2, lineTotal: { amount: 2500, currency: 'USD' } },
      { productId: 'product-2', productName: 'Tea Towel', unitPrice: { amount: 1997, currency: 'USD' }, quantity: 1, lineTotal: { amount: 1997, currency: 'USD' } },
    ],
    placedAt: '2026-03-01T09:30:00.000Z',
    paymentDueAt: '2026-03-01T09:45:00.000Z',
    email: 'ada@example.com',
    shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    ...overrides,
  };
}

type Kind = NotificationTrigger['kind'];

/** A trigger of each kind for the sample order. */
export function sampleTrigger<K extends Kind>(kind: K, overrides: Partial<Extract<NotificationTrigger, { kind: K }>> = {}): Extract<NotificationTrigger, { kind: K }> {
  const base = { eventId: 'event-1', orderId: sampleOrder().id, occurredAt: '2026-03-01T10:00:00.000Z' };
  const byKind: { [T in Kind]: Extract<NotificationTrigger, { kind: T }> } = {
    'order-confirmed': { ...base, kind: 'order-confirmed' },
    'payment-failed': { ...base, kind: 'payment-failed', amount: { amount: 4497, currency: 'USD' }, reason: 'Your card was declined.' },
    'order-shipped': { ...base, kind: 'order-shipped', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784&loc=en' },
    'order-delivered': { ...base, kind: 'order-delivered', deliveredAt: '2026-03-04T15:20:00.000Z' },
    'order-cancelled': { ...base, kind: 'order-cancelled', reason: 'payment deadline passed', cause: 'payment-timeout' },
  };
  return { ...byKind[kind], ...overrides } as Extract<NotificationTrigger, { kind: K }>;
}
