import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Address } from '../../../lib/ddd';
import { MemoryEventBus } from '../../../lib/events';
import { TEST_EVENT_SIGNING_SECRET, sampleEnvelope } from '../../../lib/events/testing/fixtures';
import { waitFor, waitForValue } from '../../../lib/events/testing/wait-for';
import { createLogger } from '../../../lib/logging';
import { startTestShipping, type TestShipping } from '../../../test/support/shipping';
import { SHIPPING_CONSUMER_GROUP, shippingEventConsumers } from './event-consumers';

/**
 * Shipping's consumer on the in-process bus, writing to DynamoDB Local: order.confirmed creates the shipment READY
 * once, order.cancelled withdraws a READY one, whatever order the two arrive in and however often.
 */

const logger = createLogger({ service: 'shipping-consumer-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
let s: TestShipping;
let bus: MemoryEventBus;

beforeAll(async () => {
  s = await startTestShipping('shipping-consumer');
  bus = new MemoryEventBus({ logger, signingSecret: TEST_EVENT_SIGNING_SECRET, retryBackoff: { initialMs: 10, maxMs: 20 } });
  for (const consumer of shippingEventConsumers(s.shipping.deps, logger)) await bus.subscribe(consumer);
}, 60_000);
afterAll(async () => {
  await bus?.close();
  await s?.stop();
});

const shipments = () => s.shipping.deps.shipments;
const confirmed = (orderId: string, customerId = 'customer-1') =>
  sampleEnvelope('order.confirmed', { orderId, customerId, status: 'CONFIRMED', previousStatus: 'PENDING', version: 2 });
const cancelled = (orderId: string, previousStatus: 'PENDING' | 'CONFIRMED', customerId = 'customer-1') =>
  sampleEnvelope('order.cancelled', { orderId, customerId, status: 'CANCELLED', previousStatus, version: 3 });
const created = (orderId: string) => s.committed.filter((event) => event.type === 'shipment.created' && event.data.orderId === orderId);
/** A confirmed order published after the events under test: once its shipment exists, they have all been handled. */
async function afterTheRest(): Promise<void> {
  const marker = randomUUID();
  await bus.publish([confirmed(marker)]);
  await waitFor('the marker shipment', async () => (await shipments().findByOrderId(marker)) !== null);
}

describe('the shipping consumer', () => {
  it('subscribes the shipping group to order.confirmed and order.cancelled', () => {
    expect(shippingEventConsumers(s.shipping.deps, logger).map((c) => [c.group, c.types])).toEqual([['shipping', ['order.confirmed', 'order.cancelled']]]);
    expect(SHIPPING_CONSUMER_GROUP).toBe('shipping');
  });

  it('creates the shipment of a confirmed order READY, with shipment.created carrying the owner', async () => {
    const orderId = randomUUID();
    await bus.publish([confirmed(orderId, 'customer-7')]);
    const shipment = await waitForValue('the shipment', async () => (await shipments().findByOrderId(orderId)) ?? undefined);
    expect([shipment.status, shipment.customerId, shipment.version, shipment.isVisible]).toEqual(['READY', 'customer-7', 1, true]);
    // The outbox reports its commit just after the write returns: the row can be read a moment before.
    await waitFor('shipment.created committed', async () => created(orderId).length > 0);
    expect(created(orderId).map((event) => event.data)).toEqual([
      { orderId, shipmentId: shipment.id, customerId: 'customer-7', at: shipment.createdAt.toISOString() },
    ]);
  });

  it('creates one shipment however often the order is confirmed or the event delivered', async () => {
    const orderId = randomUUID();
    const event = confirmed(orderId);
    await bus.publish([event, event, confirmed(orderId), event]);
    await afterTheRest();
    expect(created(orderId)).toHaveLength(1);
    expect((await shipments().findByOrderId(orderId))?.version).toBe(1);
    expect(await bus.deadLetters(SHIPPING_CONSUMER_GROUP)).toEqual([]);
  });

  it('withdraws the READY shipment of an order cancelled once confirmed', async () => {
    const orderId = randomUUID();
    await bus.publish([confirmed(orderId)]);
    await waitFor('the shipment', async () => (await shipments().findByOrderId(orderId)) !== null);
    await bus.publish([cancelled(orderId, 'CONFIRMED')]);
    await waitFor('the withdrawal', async () => (await shipments().findByOrderId(orderId))?.status === 'WITHDRAWN');
    expect((await shipments().findByOrderId(orderId))?.isVisible).toBe(false);
  });

  it('creates nothing for an order whose cancellation arrives before its confirmation', async () => {
    const orderId = randomUUID();
    await bus.publish([cancelled(orderId, 'CONFIRMED'), confirmed(orderId)]);
    await afterTheRest();
    expect((await shipments().findByOrderId(orderId))?.status).toBe('WITHDRAWN');
    expect(created(orderId)).toEqual([]);
  });

  it('writes nothing for an order cancelled while still PENDING (it never gets a shipment)', async () => {
    const orderId = randomUUID();
    await bus.publish([cancelled(orderId, 'PENDING')]);
    await afterTheRest();
    expect(await shipments().findByOrderId(orderId)).toBeNull();
  });

  it('leaves a shipment that left already as it is when its order is cancelled', async () => {
    const orderId = randomUUID();
    await bus.publish([confirmed(orderId)]);
    const shipment = await waitForValue('the shipment', async () => (await shipments().findByOrderId(orderId)) ?? undefined);
    const address = Address.of({ name: 'Jane Doe', line1: '1 Main St', city: 'Springfield', postalCode: '62704', country: 'US' });
    shipment.ship({ carrier: 'UPS', trackingNumber: '1Z999AA10123456784' }, address, new Date());
    await shipments().save(shipment);
    await bus.publish([cancelled(orderId, 'CONFIRMED')]);
    await afterTheRest();
    expect((await shipments().findByOrderId(orderId))?.status).toBe('SHIPPED');
  });
});
