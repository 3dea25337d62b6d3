import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type Redis from 'iovalkey';
import { createDynamoClients, type DynamoClients } from '../../lib/dynamodb';
import { eventStreamKey, RedisStreamsEventBus } from '../../lib/events';
import { signedEventBody } from '../../lib/events/event-signature';
import { sampleEnvelope, TEST_EVENT_SIGNING_SECRET } from '../../lib/events/testing/fixtures';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createRedisClient } from '../../lib/redis';
import { eventStreamPrefix, type RunningSystem } from '../../scripts/system';
import { REWARDS_CONSUMER_GROUP } from '../../subgraphs/rewards/infrastructure/event-consumers';
import { completeInProcess, confirmedOrders, createProduct, issuancesPerOrder, mapLimit } from '../support/commerce';
import { testRedisUrl } from '../support/services';
import { FAULT_TEST_RELAY } from '../support/fault-process';
import { startTestSystem } from '../support/system';

/**
 * Fault: a poison event, one the Rewards handler fails on every time. It is dead-lettered after 5 attempts (the
 * default), and the events behind it on the stream are processed all the same.
 *
 * The poison: an order.completed for a customer whose stored account row is damaged (its balance was written as
 * text, say by a hand-made fix): the new balance cannot form a valid reward.issued event, so the issuance is
 * refused on every delivery, and nothing of it is written.
 */

let system: RunningSystem;
let redis: Redis;
let dynamo: DynamoClients;
let bus: RedisStreamsEventBus;
const POISONED = 'poison-customer';
const healthy = ['poison-neighbour-1', 'poison-neighbour-2', 'poison-neighbour-3'];

beforeAll(async () => {
  system = await startTestSystem('fault-poison', {
    env: { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() },
    relay: FAULT_TEST_RELAY,
    eventBus: { redis: { retryBackoff: { initialMs: 100, maxMs: 400 } } },
  });
  if (!(system.bus instanceof RedisStreamsEventBus)) throw new Error('expected the Redis Streams transport');
  bus = system.bus;
  redis = createRedisClient(testRedisUrl());
  dynamo = createDynamoClients(system.config.dynamodb);
}, 60_000);
afterAll(async () => {
  await system?.stop();
  await redis?.quit();
  dynamo?.client.destroy();
});

describe('a poison event', () => {
  it('is dead-lettered after 5 attempts; the events behind it are still processed', async () => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: system.config.dynamodb.tables.rewards,
        Item: {
          pk: `CUSTOMER#${POISONED}`,
          sk: 'ACCOUNT',
          accountListKey: 'ACCOUNT',
          customerId: POISONED,
          balance: '100',
          lifetimePoints: 100,
          redeemedPoints: 0,
          expiredPoints: 0,
          version: 1,
        },
      }),
    );
    const poison = sampleEnvelope('order.completed', { orderId: 'poison-order', customerId: POISONED, total: { amount: 5_000, currency: 'USD' } });
    await bus.publish([poison]);
    // Behind it on the same stream: real orders of other customers.
    const productId = await createProduct(system.urls.gateway, 'POISON-1', 2_000);
    const orders = await confirmedOrders(system, 9, { customerIds: healthy, productId });
    await mapLimit(orders, 3, (order) => completeInProcess(system, order.id));

    await waitFor('the orders behind the poison to be issued', async () => (await system.rewards.deps.rewards.findIssuances(orders.map((o) => o.id))).length === 9, 30_000, 100);
    await waitFor('the poison to be dead-lettered', async () => (await bus.deadLetters(REWARDS_CONSUMER_GROUP)).length > 0, 30_000, 100);

    const letters = await bus.deadLetters(REWARDS_CONSUMER_GROUP);
    expect(letters).toEqual([
      {
        group: REWARDS_CONSUMER_GROUP,
        deliveredAs: 'order.completed',
        eventId: poison.id,
        body: signedEventBody(poison, TEST_EVENT_SIGNING_SECRET),
        attempts: 5,
        reason: expect.stringMatching(/^handler failed on all 5 attempts; last error: invalid event: data\.balance: /),
        deadLetteredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    const stream = eventStreamKey(eventStreamPrefix(system.config), 'order.completed');
    await waitFor('nothing pending in the group', async () => ((await redis.xpending(stream, REWARDS_CONSUMER_GROUP)) as [number])[0] === 0);

    // Nothing of the poison was written; every order behind it was issued exactly once.
    expect(await system.rewards.deps.rewards.findIssuances(['poison-order'])).toEqual([]);
    expect(await issuancesPerOrder(system, [POISONED])).toEqual(new Map());
    const perOrder = await issuancesPerOrder(system, healthy);
    expect([...perOrder.keys()].sort()).toEqual(orders.map((o) => o.id).sort());
    expect([...perOrder.values()]).toEqual(Array.from({ length: 9 }, () => 1));
    for (const customerId of healthy) {
      const expected = orders.filter((o) => o.customerId === customerId).reduce((sum, o) => sum + Math.floor(o.total / 100), 0);
      expect((await system.rewards.deps.rewards.findAccount(customerId))?.balance).toBe(expected);
    }
    expect(await redis.xlen(`${eventStreamPrefix(system.config)}:dead-letter:${REWARDS_CONSUMER_GROUP}`)).toBe(1);
  }, 90_000);
});
