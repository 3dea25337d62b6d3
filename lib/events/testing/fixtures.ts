import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../envelope';
import type { EventData, EventType } from '../schemas';
import { EVENT_SOURCES } from '../schemas';

/** Valid data for each event type, so tests can build any envelope in one line. */
const sampleData: { [T in EventType]: EventData<T> } = {
  'order.created': {
    orderId: 'order-1',
    customerId: 'customer-1',
    items: [{ productId: 'product-1', quantity: 2, unitPrice: { amount: 1250, currency: 'USD' } }],
    total: { amount: 2500, currency: 'USD' },
  },
  'order.confirmed': orderStatus('CONFIRMED', 'PENDING'),
  'order.completed': orderStatus('COMPLETED', 'CONFIRMED'),
  'order.cancelled': { ...orderStatus('CANCELLED', 'PENDING'), reason: 'changed my mind' },
  'order.shipped': { ...orderStatus('SHIPPED', 'CONFIRMED'), carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
  'product.created': {
    productId: 'product-1',
    sku: 'SKU-1',
    category: 'books',
    name: 'A book',
    price: { amount: 1250, currency: 'USD' },
    stockQuantity: 3,
  },
  'product.updated': { productId: 'product-1', sku: 'SKU-1', category: 'books', changed: ['name'] },
  'product.price.changed': {
    productId: 'product-1',
    sku: 'SKU-1',
    category: 'books',
    oldPrice: { amount: 1250, currency: 'USD' },
    newPrice: { amount: 999, currency: 'USD' },
  },
  'stock.held': { orderId: 'order-1', lines: [{ productId: 'product-1', quantity: 2 }] },
  'stock.released': { orderId: 'order-1', lines: [{ productId: 'product-1', quantity: 2 }], reason: 'cancelled' },
  'stock.sold': { orderId: 'order-1', lines: [{ productId: 'product-1', quantity: 2 }] },
  'reward.issued': { customerId: 'customer-1', points: 25, balance: 25, orderId: 'order-1' },
  'reward.redeemed': { customerId: 'customer-1', points: 10, balance: 15 },
  'reward.expired': { customerId: 'customer-1', points: 5, balance: 10 },
  'payment.completed': { orderId: 'order-1' },
  'payment.authorized': payment(),
  'payment.failed': { ...payment(), reason: 'Your card was declined.' },
  'payment.captured': payment(),
  'payment.voided': { ...payment(), reason: 'the order was cancelled' },
  'payment.refunded': { ...payment(), reason: 'the order was cancelled' },
  'shipment.created': shipment(),
  'shipment.shipped': { ...shipment(), carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
  'shipment.delivered': shipment(),
};

function payment() {
  return {
    orderId: 'order-1',
    paymentId: 'payment-1',
    customerId: 'customer-1',
    amount: { amount: 2500, currency: 'USD' },
    provider: 'stripe',
    providerPaymentId: 'pi_1',
  };
}

function shipment() {
  return { orderId: 'order-1', shipmentId: 'shipment-1', customerId: 'customer-1', at: '2026-01-01T00:00:00.000Z' };
}

function orderStatus(status: 'CONFIRMED' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED', previousStatus: 'PENDING' | 'CONFIRMED') {
  return { orderId: 'order-1', customerId: 'customer-1', status, previousStatus, total: { amount: 2500, currency: 'USD' } };
}

/** A valid envelope of `type` with a fresh id; `data` fields override the sample's. */
export function sampleEnvelope<T extends EventType>(type: T, data: Partial<EventData<T>> = {}, occurredAt = new Date()): EventEnvelope<T> {
  return {
    id: randomUUID(),
    type,
    source: EVENT_SOURCES[type],
    version: 1,
    occurredAt: occurredAt.toISOString(),
    correlationId: `test-${randomUUID().slice(0, 8)}`,
    data: { ...sampleData[type], ...data },
  };
}

/** The EVENT_SIGNING_SECRET of test buses and systems (test/support/system.ts uses it too). */
export const TEST_EVENT_SIGNING_SECRET = 'test-event-signing-secret-0123456789abcdef';
