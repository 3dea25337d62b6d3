import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../lib/config';
import type { Logger } from '../../lib/logging';
import { createRedisClient } from '../../lib/redis';
import { InProcessOrderStatusFeed, RedisOrderStatusFeed, publishOrderStatus, type OrderStatusFeed } from './order-status-feed';

/** The Redis pub/sub channel prefix for order status changes of a deployment. */
export function orderStatusChannelPrefix(config: Pick<AppConfig, 'namespace'>): string {
  return `${config.namespace}order-status:`;
}

/**
 * With Redis, gateway instances share status changes through Redis pub/sub (each instance sees every change of
 * the orders its clients watch); without it, one process shares them in memory.
 */
export function createOrderStatusFeed(config: Pick<AppConfig, 'redisUrl' | 'namespace'>, logger: Logger): OrderStatusFeed {
  if (!config.redisUrl) return new InProcessOrderStatusFeed();
  // A connection in subscriber mode cannot publish, hence two. The subscriber's name is unique to this instance,
  // so its own subscriptions can be told apart from other instances' in CLIENT LIST. Auto-pipelining stays off on
  // it: with it on, the first SUBSCRIBE can overtake CLIENT SETNAME, which Redis then refuses in subscriber mode
  // (RESP2), leaving the connection unnamed.
  return new RedisOrderStatusFeed(
    createRedisClient(config.redisUrl, {
      connectionName: `gateway-order-status-subscriber-${randomUUID().slice(0, 8)}`,
      enableAutoPipelining: false,
    }),
    createRedisClient(config.redisUrl, { connectionName: 'gateway-order-status-publisher' }),
    orderStatusChannelPrefix(config),
    logger,
  );
}

/**
 * Publishing only (the fan-out Lambda): one connection, no subscriber. Messages reach the gateway instances that
 * watch the order through their feeds.
 */
export function createOrderStatusPublisher(redisUrl: string, config: Pick<AppConfig, 'namespace'>): Pick<OrderStatusFeed, 'publish' | 'close'> {
  const redis = createRedisClient(redisUrl, { connectionName: 'order-status-fanout' });
  const prefix = orderStatusChannelPrefix(config);
  return {
    async publish(message) {
      await publishOrderStatus(redis, prefix, message);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
