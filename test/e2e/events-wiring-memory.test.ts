import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import { adminToken, changePrice, completedOrderVia, createProduct, placeOrderVia, waitForRewardPoints } from '../support/commerce';
import { graphql } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * The same wiring on the in-process transport (`npm start` without Redis): in-memory HTTP cache in Orders,
 * product events invalidating it, payment.completed confirming, order.completed issuing points.
 */

let system: RunningSystem;
let url: string;

beforeAll(async () => {
  system = await startTestSystem('events-memory', { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  expect(system.config.eventBus.kind).toBe('memory');
  expect(system.config.redisUrl).toBeUndefined();
  url = system.urls.gateway;
});
afterAll(() => system?.stop());

describe('on the in-process bus', () => {
  it('an order placed after a price change uses the new price', async () => {
    const productId = await createProduct(url, 'EM-PRICE-1', 2_000);
    const customer = await tokenFor('em-price-customer');
    expect((await placeOrderVia(url, customer, productId)).items[0]!.unitPrice.amount).toBe(2_000);
    expect((await placeOrderVia(url, customer, productId)).items[0]!.unitPrice.amount).toBe(2_000);

    await changePrice(url, productId, 1_250);
    // The event reaches Orders through Catalog's outbox and the bus; without the invalidation it triggers, the
    // old price (cached with max-age=300) would stand for 5 minutes and this wait would fail.
    let last: number | undefined;
    await waitFor(
      () => `orders at the new price (last ${last})`,
      async () => (last = (await placeOrderVia(url, customer, productId)).items[0]!.unitPrice.amount) === 1_250,
      undefined,
      100,
    );

    const order = await placeOrderVia(url, customer, productId, 4);
    expect(order.items[0]!.unitPrice.amount).toBe(1_250);
    expect(order.total.amount).toBe(5_000);
  });

  it('payment.completed confirms the order', async () => {
    const productId = await createProduct(url, 'EM-PAY-1', 900);
    const customer = await tokenFor('em-payer');
    const order = await placeOrderVia(url, customer, productId);
    await system.bus.publish([sampleEnvelope('payment.completed', { orderId: order.id })]);
    await waitFor('the order to be confirmed', async () => {
      const response = await graphql<{ order: { status: string } }>(url, `query($id: ID!) { order(id: $id) { status } }`, { id: order.id }, { token: customer });
      return response.data!.order.status === 'CONFIRMED';
    });
  });

  it('order.completed issues the points', async () => {
    const productId = await createProduct(url, 'EM-REWARD-1', 12_345);
    const customer = await tokenFor('em-rewarded');
    const order = await completedOrderVia(url, customer, productId);
    expect(await waitForRewardPoints(url, customer, order.id)).toBe(123);
    const admin = await adminToken();
    const response = await graphql<{ order: { customer: { rewards: { balance: number } } } }>(
      url,
      `query($id: ID!) { order(id: $id) { customer { rewards { balance } } } }`,
      { id: order.id },
      { token: admin },
    );
    expect(response.data!.order.customer.rewards.balance).toBe(123);
  });
});
