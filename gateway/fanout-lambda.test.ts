import { randomUUID } from 'node:crypto';
/**
 * The gateway's fan-out Lambda invoked as its EventBridge rule invokes it, against a real Redis: each order
 * status event lands on the pub/sub channel of its order, under the deployment's namespace, where every
 * gateway task watching that order receives it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import type { AnyEventEnvelope } from '../lib/events';
import { signEnvelope } from '../lib/events/event-signature';
import { sampleEnvelope, TEST_EVENT_SIGNING_SECRET } from '../lib/events/testing/fixtures';
import { createRedisClient } from '../lib/redis';
import { eventBridgeEvent, setLambdaEnvironment } from '../test/support/lambda';
import { testRedisUrl, uniquePrefix } from '../test/support/services';
import type * as FanoutLambda from './fanout-lambda';
import { TaggedCache, gatewayCachePrefix } from './cache/tagged-cache';
import { createLogger } from '../lib/logging';
import { waitFor } from '../lib/events/testing/wait-for';
import { orderStatusChannelPrefix } from './subscriptions/create-feed';

let lambda: typeof FanoutLambda;
let subscriber: Redis;
let restore: () => void;
let prefix: string;

beforeAll(async () => {
  prefix = uniquePrefix('fanout-lambda');
  restore = setLambdaEnvironment({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    AWS_REGION: 'us-east-1',
    TABLE_PREFIX: prefix,
    REDIS_URL: testRedisUrl(),
    EVENT_BUS: 'eventbridge',
    EVENT_BUS_NAME: `${prefix}events`,
    GATEWAY_SIGNING_SECRET: 'fanout-lambda-signing-secret-0123456789abcdef',
    GATEWAY_SIGNING_SECRET_ARN: undefined,
    EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
    JWT_SECRET: undefined,
  });
  subscriber = createRedisClient(testRedisUrl(), { connectionName: 'fanout-lambda-test' });
  lambda = await import('./fanout-lambda');
});

afterAll(async () => {
  restore();
  subscriber.disconnect();
  await lambda.close();
});

/** Subscribes to `channel`; once subscribed, gives the promise of its first message. */
async function nextMessage(channel: string): Promise<{ message: Promise<Record<string, unknown>> }> {
  await subscriber.subscribe(channel);
  const message = new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (received: string, raw: string) => {
      if (received !== channel) return;
      subscriber.off('message', onMessage);
      void subscriber.unsubscribe(channel);
      resolve(JSON.parse(raw) as Record<string, unknown>);
    };
    subscriber.on('message', onMessage);
  });
  return { message };
}

describe('order status fan-out (EventBridge rule target)', () => {
  it('publishes each order status change on its order’s channel in the deployment namespace', async () => {
    const event = sampleEnvelope('order.confirmed', { orderId: 'order-fanout-1', customerId: 'customer-fanout' });
    const channel = `${orderStatusChannelPrefix({ namespace: prefix })}order-fanout-1`;
    expect(channel.startsWith(prefix)).toBe(true);
    const received = await nextMessage(channel);
    await expect(lambda.handler(eventBridgeEvent(event))).resolves.toEqual({ handled: 1 });
    await expect(received.message).resolves.toMatchObject({
      eventId: event.id,
      orderId: 'order-fanout-1',
      customerId: 'customer-fanout',
      status: 'CONFIRMED',
      previousStatus: 'PENDING',
    });
  });

  it('publishes new orders (no previous status) and cancellations too', async () => {
    const events: [AnyEventEnvelope, string][] = [
      [sampleEnvelope('order.created', { orderId: 'order-fanout-created', customerId: 'customer-fanout' }), 'PENDING'],
      [sampleEnvelope('order.cancelled', { orderId: 'order-fanout-cancelled', customerId: 'customer-fanout' }), 'CANCELLED'],
    ];
    for (const [event, status] of events) {
      const received = await nextMessage(`${orderStatusChannelPrefix({ namespace: prefix })}${(event.data as { orderId: string }).orderId}`);
      await expect(lambda.handler(eventBridgeEvent(event))).resolves.toEqual({ handled: 1 });
      await expect(received.message).resolves.toMatchObject({ eventId: event.id, status });
    }
  });

  it('refuses a signed envelope altered on the way (IAM lets it onto the bus; the signature still has to match)', async () => {
    const signed = signEnvelope(sampleEnvelope('order.confirmed', { orderId: 'order-fanout-forged' }), TEST_EVENT_SIGNING_SECRET);
    const altered = { ...signed, data: { ...(signed['data'] as object), customerId: 'someone-else' } } as unknown as AnyEventEnvelope;
    await expect(lambda.handler(eventBridgeEvent(altered))).rejects.toThrow(/forged or altered event/);
    await expect(lambda.handler(eventBridgeEvent(signed as unknown as AnyEventEnvelope))).resolves.toEqual({ handled: 1 });
  });

  it('handles nothing for an event type its rule does not route (and says so in its logs)', async () => {
    await expect(lambda.handler(eventBridgeEvent(sampleEnvelope('reward.issued')))).resolves.toEqual({ handled: 0 });
  });
});

describe('product changes (EventBridge rule target)', () => {
  it('drops what the gateways cached about the changed products, in Redis and in every gateway task that holds it', async () => {
    // A gateway task's cache over the same Redis and namespace, holding an entry about two products and one about another.
    const connections = [createRedisClient(testRedisUrl()), createRedisClient(testRedisUrl())];
    const gatewayCache = new TaggedCache({
      maxEntries: 100,
      logger: createLogger({ service: 'fanout-test', level: 'silent' }),
      redis: { client: connections[0]!, subscriber: connections[1]!, prefix: gatewayCachePrefix({ namespace: prefix }) },
    });
    const [held1, held2, other] = [randomUUID(), randomUUID(), randomUUID()];
    try {
      await waitFor('the gateway task cache in use', () => gatewayCache.available);
      await gatewayCache.set('response:held', { value: '{"held":true}', scope: 'PUBLIC', ttlSeconds: 60, tags: [`product:${held1}`, `product:${held2}`] });
      await gatewayCache.set('response:other', { value: '{"other":true}', scope: 'PUBLIC', ttlSeconds: 60, tags: [`product:${other}`] });
      expect((await gatewayCache.get('response:held'))?.value).toBe('{"held":true}');

      const event = sampleEnvelope('stock.held', { orderId: 'order-fanout-stock', lines: [{ productId: held1, quantity: 1 }, { productId: held2, quantity: 3 }] });
      await expect(lambda.handler(eventBridgeEvent(event))).resolves.toEqual({ handled: 1 });
      await waitFor('the held products dropped from the gateway task', async () => (await gatewayCache.get('response:held')) === undefined);
      expect((await gatewayCache.get('response:other'))?.value).toBe('{"other":true}');
    } finally {
      gatewayCache.close();
      for (const connection of connections) connection.disconnect();
    }
  });
});
