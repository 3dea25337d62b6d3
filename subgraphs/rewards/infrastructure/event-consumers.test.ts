import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryEventBus, type Subscription } from '../../../lib/events';
import { sampleEnvelope } from '../../../lib/events/testing/fixtures';
import { waitFor } from '../../../lib/events/testing/wait-for';
import { createLogger } from '../../../lib/logging';
import { rewardsHarness, type RewardsHarness } from '../test-support/rewards-harness';
import { REWARDS_CONSUMER_GROUP, rewardsEventConsumers } from './event-consumers';
import { TEST_EVENT_SIGNING_SECRET } from '../../../lib/events/testing/fixtures';

/** Rewards' consumer on the in-process bus, writing to DynamoDB Local: order.completed in, points once. */

const logger = createLogger({ service: 'rewards-consumer-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
let h: RewardsHarness;
let bus: MemoryEventBus;
const subscriptions: Subscription[] = [];

beforeAll(async () => {
  h = await rewardsHarness('rewards-consumer');
  bus = new MemoryEventBus({ logger, signingSecret: TEST_EVENT_SIGNING_SECRET, retryBackoff: { initialMs: 10, maxMs: 20 } });
  for (const consumer of rewardsEventConsumers(h.deps, logger)) subscriptions.push(await bus.subscribe(consumer));
}, 60_000);
afterAll(async () => {
  await bus?.close();
  h?.close();
});

let counter = 0;
const unique = (kind: string) => `${kind}-${(counter += 1)}`;

function completed(customerId: string, orderId: string, amount: number) {
  return sampleEnvelope('order.completed', { orderId, customerId, total: { amount, currency: 'USD' } });
}

describe('the rewards consumer', () => {
  it('subscribes the rewards group to order.completed only', () => {
    const consumers = rewardsEventConsumers(h.deps, logger);
    expect(consumers.map((c) => [c.group, c.types])).toEqual([[REWARDS_CONSUMER_GROUP, ['order.completed']]]);
    expect(REWARDS_CONSUMER_GROUP).toBe('rewards');
  });

  it('handles up to 8 completions at once, those of one customer (one account row) one after another', () => {
    const [consumer] = rewardsEventConsumers(h.deps, logger);
    expect(consumer!.concurrency?.limit).toBe(8);
    expect(consumer!.concurrency?.key(sampleEnvelope('order.completed', { orderId: 'o-1', customerId: 'customer-7' }))).toBe('customer-7');
  });

  it('issues the points of a completed order', async () => {
    const customerId = unique('customer');
    const orderId = unique('order');
    await bus.publish([completed(customerId, orderId, 12_345)]);
    await waitFor('the issuance', async () => (await h.repository.findIssuances([orderId])).length === 1);
    expect(await h.repository.findIssuances([orderId])).toEqual([{ orderId, customerId, points: 123 }]);
    expect((await h.repository.findAccount(customerId))?.balance).toBe(123);
  });

  it('issues once for the same event delivered twice and for two events about one order', async () => {
    const customerId = unique('customer');
    const orderId = unique('order');
    const first = completed(customerId, orderId, 5_000);
    const second = completed(customerId, orderId, 5_000);
    const marker = completed(customerId, unique('order'), 1_000);
    await bus.publish([first, first, second, first, marker]);
    // The marker comes last on a bus that delivers in order: once it is in, the duplicates have been handled.
    await waitFor('the marker order', async () => (await h.repository.findIssuances([marker.data.orderId])).length === 1);
    expect((await h.repository.findAccount(customerId))?.balance).toBe(60);
    expect((await h.ledger(customerId)).map((t) => [t.orderId, t.points]).sort()).toEqual(
      [
        [orderId, 50],
        [marker.data.orderId, 10],
      ].sort(),
    );
    expect(await bus.deadLetters(REWARDS_CONSUMER_GROUP)).toEqual([]);
  });

  it('gives nothing for a cancelled order', async () => {
    const customerId = unique('customer');
    const cancelled = sampleEnvelope('order.cancelled', { orderId: unique('order'), customerId, total: { amount: 9_900, currency: 'USD' } });
    const marker = completed(customerId, unique('order'), 100);
    await bus.publish([cancelled, marker]);
    await waitFor('the marker order', async () => (await h.repository.findIssuances([marker.data.orderId])).length === 1);
    expect(await h.repository.findIssuances([cancelled.data.orderId])).toEqual([]);
    expect((await h.repository.findAccount(customerId))?.balance).toBe(1);
  });
});
