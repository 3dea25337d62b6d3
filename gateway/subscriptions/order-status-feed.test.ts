import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type Redis from 'iovalkey';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createLogger } from '../../lib/logging';
import { createRedisClient } from '../../lib/redis';
import { testRedisUrl } from '../../test/support/services';
import { createOrderStatusFeed, orderStatusChannelPrefix } from './create-feed';
import { orderStatusFanout, toOrderStatusMessage } from './order-status-fanout';
import { InProcessOrderStatusFeed, RedisOrderStatusFeed, type OrderStatusFeed } from './order-status-feed';
import type { OrderStatusMessage } from './order-status-message';

const logger = createLogger({ service: 'order-status-feed-test', level: 'silent' });

function message(orderId: string, status: OrderStatusMessage['status'] = 'CONFIRMED'): OrderStatusMessage {
  return {
    eventId: randomUUID(),
    orderId,
    customerId: 'customer-1',
    status,
    previousStatus: status === 'PENDING' ? null : 'PENDING',
    at: '2026-01-31T12:00:00.000Z',
  };
}

function collector() {
  const received: OrderStatusMessage[] = [];
  return { received, listener: (m: OrderStatusMessage) => void received.push(m) };
}

/**
 * Messages are asynchronous on Redis: one that must not arrive is checked after a later message on another
 * order has arrived (one publisher connection and one subscriber connection keep their order).
 */
async function settle(feed: OrderStatusFeed): Promise<void> {
  const barrier = collector();
  const orderId = `barrier-${randomUUID().slice(0, 8)}`;
  const stop = await feed.watch(orderId, barrier.listener);
  const sent = message(orderId);
  await feed.publish(sent);
  await waitFor('the barrier message', () => barrier.received.some((m) => m.eventId === sent.eventId));
  await stop();
}

interface FeedUnderTest {
  readonly feed: OrderStatusFeed;
  dispose(): Promise<void>;
}

/** The OrderStatusFeed port's contract (docs/architecture.md §7: one suite per port, run against every adapter). */
function orderStatusFeedContract(name: string, create: () => FeedUnderTest): void {
  describe(`OrderStatusFeed contract: ${name}`, () => {
    let current: FeedUnderTest;
    beforeAll(() => {
      current = create();
    });
    afterAll(() => current.dispose());
    const order = () => `order-${randomUUID().slice(0, 8)}`;

    it('delivers every message of an order to each of its listeners, in publish order, and nothing of other orders', async () => {
      const { feed } = current;
      const [a, b] = [order(), order()];
      const first = collector();
      const second = collector();
      const other = collector();
      const stops = [await feed.watch(a, first.listener), await feed.watch(a, second.listener), await feed.watch(b, other.listener)];
      const sent = [message(a, 'PENDING'), message(a, 'CONFIRMED'), message(a, 'COMPLETED')];
      for (const m of sent) await feed.publish(m);
      await waitFor('both listeners of the order', () => first.received.length === 3 && second.received.length === 3);
      expect(first.received).toEqual(sent);
      expect(second.received).toEqual(sent);
      await settle(feed);
      expect(other.received).toEqual([]);
      for (const stop of stops) await stop();
    });

    it('is ready when watch() resolves: a message published right after it arrives', async () => {
      const { feed } = current;
      for (let i = 0; i < 20; i += 1) {
        const id = order();
        const first = collector();
        const second = collector();
        // Both listeners, the one whose watch subscribes and the one that joins while that is in flight.
        const [stopFirst, stopSecond] = await Promise.all([feed.watch(id, first.listener), feed.watch(id, second.listener)]);
        const sent = message(id);
        await feed.publish(sent);
        await waitFor('the message', () => first.received.length === 1 && second.received.length === 1);
        expect([first.received, second.received]).toEqual([[sent], [sent]]);
        await stopFirst();
        await stopSecond();
      }
    });

    it('stops delivering to a listener once its stop function resolves, and only to that listener', async () => {
      const { feed } = current;
      const id = order();
      const leaving = collector();
      const staying = collector();
      const stopLeaving = await feed.watch(id, leaving.listener);
      const stopStaying = await feed.watch(id, staying.listener);
      await stopLeaving();
      await stopLeaving();
      const sent = message(id);
      await feed.publish(sent);
      await waitFor('the remaining listener', () => staying.received.length === 1);
      await settle(feed);
      expect(leaving.received).toEqual([]);
      expect(staying.received).toEqual([sent]);
      await stopStaying();
    });

    it('counts watched orders and listeners, and is back to zero when every listener left', async () => {
      const { feed } = current;
      expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
      const [a, b] = [order(), order()];
      const stops = await Promise.all([feed.watch(a, () => undefined), feed.watch(a, () => undefined), feed.watch(b, () => undefined)]);
      expect(feed.stats()).toEqual({ orders: 2, listeners: 3 });
      await stops[0]!();
      expect(feed.stats()).toEqual({ orders: 2, listeners: 2 });
      await Promise.all(stops.map((stop) => stop()));
      expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
    });

    it('registers the same function twice on one order as two listeners, each stopped on its own', async () => {
      const { feed } = current;
      const id = order();
      const { received, listener } = collector();
      const stopOne = await feed.watch(id, listener);
      const stopTwo = await feed.watch(id, listener);
      await feed.publish(message(id));
      await waitFor('two deliveries', () => received.length === 2);
      await stopOne();
      expect(feed.stats()).toEqual({ orders: 1, listeners: 1 });
      await stopTwo();
      expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
    });
  });
}

orderStatusFeedContract('in-process', () => {
  const feed = new InProcessOrderStatusFeed();
  return { feed, dispose: () => feed.close() };
});

const redisFeeds: RedisOrderStatusFeed[] = [];
function redisFeed(prefix: string): RedisOrderStatusFeed {
  const feed = createOrderStatusFeed({ redisUrl: testRedisUrl(), namespace: prefix }, logger);
  if (!(feed instanceof RedisOrderStatusFeed)) throw new Error('expected the Redis feed when REDIS_URL is set');
  redisFeeds.push(feed);
  return feed;
}
afterAll(async () => {
  await Promise.all(redisFeeds.map((feed) => feed.close()));
});

orderStatusFeedContract('Redis pub/sub', () => {
  const feed = redisFeed(`t-feed-contract-${randomUUID().slice(0, 8)}-`);
  return { feed, dispose: async () => undefined };
});

describe('Redis pub/sub feed', () => {
  let prefix: string;
  let admin: Redis;
  beforeAll(() => {
    admin = createRedisClient(testRedisUrl());
  });
  afterAll(() => admin.quit());
  afterEach(() => {
    prefix = '';
  });
  const namespace = () => {
    prefix = `t-feed-${randomUUID().slice(0, 8)}-`;
    return prefix;
  };
  /** Subscribers of one order's channel across every connection, as Redis counts them. */
  const numsub = async (orderId: string): Promise<number> => {
    const reply = (await admin.pubsub('NUMSUB', `${orderStatusChannelPrefix({ namespace: prefix })}${orderId}`)) as [string, number];
    return Number(reply[1]);
  };

  it('uses one channel per order under the deployment namespace', () => {
    expect(orderStatusChannelPrefix({ namespace: 'ecommerce-' })).toBe('ecommerce-order-status:');
  });

  it('sends one SUBSCRIBE and one UNSUBSCRIBE per order however many listeners come and go', async () => {
    const subscriber = createRedisClient(testRedisUrl(), { connectionName: `t-feed-subscriber-${randomUUID().slice(0, 8)}`, enableAutoPipelining: false });
    const feed = new RedisOrderStatusFeed(subscriber, createRedisClient(testRedisUrl()), orderStatusChannelPrefix({ namespace: namespace() }), logger);
    redisFeeds.push(feed);
    const subscribe = jest.spyOn(subscriber, 'subscribe');
    const unsubscribe = jest.spyOn(subscriber, 'unsubscribe');
    const first = await Promise.all(Array.from({ length: 5 }, () => feed.watch('order-1', () => undefined)));
    const later = await feed.watch('order-1', () => undefined);
    expect(subscribe).toHaveBeenCalledTimes(1);
    for (const stop of [...first, later]) await stop();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(await feed.redisSubscriptionCount()).toBe(0);
    // Watched again: subscribed again.
    const again = await feed.watch('order-1', () => undefined);
    expect(subscribe).toHaveBeenCalledTimes(2);
    expect(await feed.redisSubscriptionCount()).toBe(1);
    await again();
  });

  it('SUBSCRIBEs once per order however many listeners watch it, and UNSUBSCRIBEs when the last one leaves', async () => {
    const feed = redisFeed(namespace());
    expect(await feed.redisSubscriptionCount()).toBe(0);
    const stops = await Promise.all(Array.from({ length: 5 }, () => feed.watch('order-1', () => undefined)));
    const other = await feed.watch('order-2', () => undefined);
    expect(await feed.redisSubscriptionCount()).toBe(2);
    expect(await numsub('order-1')).toBe(1);
    for (const stop of stops.slice(0, 4)) await stop();
    expect(await feed.redisSubscriptionCount()).toBe(2);
    expect(await numsub('order-1')).toBe(1);
    await stops[4]!();
    expect(await feed.redisSubscriptionCount()).toBe(1);
    expect(await numsub('order-1')).toBe(0);
    await other();
    expect(await feed.redisSubscriptionCount()).toBe(0);
    expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
  });

  it('ends with Redis subscriptions matching the watched orders after overlapping watch/stop sequences', async () => {
    const feed = redisFeed(namespace());
    const orders = ['order-a', 'order-b', 'order-c'];
    const kept: (() => Promise<void>)[] = [];
    const churn: Promise<void>[] = [];
    for (let i = 0; i < 300; i += 1) {
      const orderId = orders[i % orders.length]!;
      // Nothing awaited between operations: watch, stop, watch again on one channel while SUBSCRIBE and
      // UNSUBSCRIBE are still in flight.
      churn.push(
        feed.watch(orderId, () => undefined).then(async (stop) => {
          if (orderId === 'order-c' && i % 7 === 0) kept.push(stop);
          else await stop();
        }),
      );
    }
    await Promise.all(churn);
    expect(feed.stats()).toEqual({ orders: 1, listeners: kept.length });
    await waitFor('the subscriptions to settle', async () => (await feed.redisSubscriptionCount()) === 1);
    expect(await numsub('order-a')).toBe(0);
    expect(await numsub('order-b')).toBe(0);
    expect(await numsub('order-c')).toBe(1);
    const { received, listener } = collector();
    const stop = await feed.watch('order-c', listener);
    const sent = message('order-c');
    await feed.publish(sent);
    await waitFor('delivery on the kept channel', () => received.length === 1);
    for (const s of [...kept, stop]) await s();
    expect(await feed.redisSubscriptionCount()).toBe(0);
  });

  it('reaches the listeners of every instance on the same Redis, and counts each instance on its own', async () => {
    const shared = namespace();
    const first = redisFeed(shared);
    const second = redisFeed(shared);
    const onFirst = collector();
    const onSecond = collector();
    const stopFirst = await first.watch('order-1', onFirst.listener);
    const stopSecond = await second.watch('order-1', onSecond.listener);
    const stopOther = await second.watch('order-2', () => undefined);
    expect(await numsub('order-1')).toBe(2);
    // CLIENT LIST reports a connection's subscriptions a moment after SUBSCRIBE is acknowledged on a busy server.
    await waitFor('each instance counted on its own', async () =>
      (await first.redisSubscriptionCount()) === 1 && (await second.redisSubscriptionCount()) === 2);
    // Published through one instance (the one whose fan-out consumer got the event), heard by both.
    const sent = message('order-1');
    await first.publish(sent);
    await waitFor('both instances', () => onFirst.received.length === 1 && onSecond.received.length === 1);
    expect([onFirst.received, onSecond.received]).toEqual([[sent], [sent]]);
    await Promise.all([stopFirst(), stopSecond(), stopOther()]);
    expect([await first.redisSubscriptionCount(), await second.redisSubscriptionCount()]).toEqual([0, 0]);
  });

  it('does not reach instances of another namespace', async () => {
    const mine = redisFeed(namespace());
    const theirs = redisFeed(`t-feed-other-${randomUUID().slice(0, 8)}-`);
    const onTheirs = collector();
    const stop = await theirs.watch('order-1', onTheirs.listener);
    await mine.publish(message('order-1'));
    await settle(theirs);
    expect(onTheirs.received).toEqual([]);
    await stop();
  });

  it('ignores a malformed message on a channel and keeps delivering', async () => {
    const feed = redisFeed(namespace());
    const { received, listener } = collector();
    const stop = await feed.watch('order-1', listener);
    const channel = `${orderStatusChannelPrefix({ namespace: prefix })}order-1`;
    await admin.publish(channel, 'not json');
    await admin.publish(channel, JSON.stringify({ orderId: 'order-1', status: 'SHIPPED' }));
    const sent = message('order-1');
    await feed.publish(sent);
    await waitFor('the valid message', () => received.length === 1);
    expect(received).toEqual([sent]);
    await stop();
  });

  it('lets listeners stop, and refuses new ones, after the feed closed, without an unhandled rejection', async () => {
    const subscriber = createRedisClient(testRedisUrl(), { connectionName: `t-feed-subscriber-${randomUUID().slice(0, 8)}` });
    const publisher = createRedisClient(testRedisUrl());
    const feed = new RedisOrderStatusFeed(subscriber, publisher, orderStatusChannelPrefix({ namespace: namespace() }), logger);
    redisFeeds.push(feed);
    const stop = await feed.watch('order-1', () => undefined);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await feed.close();
      // A subscription whose client disconnects during shutdown releases its listener after the feed closed.
      await stop();
      await expect(feed.watch('order-2', () => undefined)).rejects.toThrow('the order status feed is closed');
      // A rejection nobody handles would come from a command failing as the connections close: once both have
      // ended (in an earlier turn of the event loop than the poll that sees it), Node has reported any.
      await waitFor('both connections to end', () => subscriber.status === 'end' && publisher.status === 'end');
      expect(unhandled).toEqual([]);
      expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('createOrderStatusFeed', () => {
  it('is in-process without REDIS_URL', async () => {
    const feed = createOrderStatusFeed({ redisUrl: undefined, namespace: 'x-' }, logger);
    expect(feed).toBeInstanceOf(InProcessOrderStatusFeed);
    await feed.close();
  });
});

describe('order status fan-out', () => {
  it('turns order.created into a PENDING update without a previous status', () => {
    const envelope = sampleEnvelope('order.created', { orderId: 'order-9', customerId: 'customer-3' });
    expect(toOrderStatusMessage(envelope)).toEqual({
      eventId: envelope.id,
      orderId: 'order-9',
      customerId: 'customer-3',
      status: 'PENDING',
      previousStatus: null,
      at: envelope.occurredAt,
    });
  });

  it.each([
    ['order.confirmed', 'CONFIRMED', 'PENDING'],
    ['order.completed', 'COMPLETED', 'CONFIRMED'],
    ['order.cancelled', 'CANCELLED', 'PENDING'],
  ] as const)('turns %s into a %s update from %s', (type, status, previousStatus) => {
    const envelope = sampleEnvelope(type, { orderId: 'order-9', customerId: 'customer-3' });
    expect(toOrderStatusMessage(envelope)).toEqual({
      eventId: envelope.id,
      orderId: 'order-9',
      customerId: 'customer-3',
      status,
      previousStatus,
      at: envelope.occurredAt,
    });
  });

  it('publishes order status events on the feed and ignores every other event', async () => {
    const published: OrderStatusMessage[] = [];
    const consumer = orderStatusFanout({ publish: async (m) => void published.push(m) });
    expect(consumer.group).toBe('gateway');
    expect(consumer.types).toEqual(['order.created', 'order.confirmed', 'order.shipped', 'order.completed', 'order.cancelled']);
    await consumer.handle(sampleEnvelope('product.created'));
    const completed = sampleEnvelope('order.completed', { orderId: 'order-9' });
    await consumer.handle(completed);
    expect(published.map((m) => [m.eventId, m.orderId])).toEqual([[completed.id, 'order-9']]);
  });
});
