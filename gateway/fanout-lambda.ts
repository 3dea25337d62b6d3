/**
 * The gateway's fan-out on AWS Lambda: the target of the EventBridge rules for order status and product events.
 * Each order status change goes on the Redis (ElastiCache) pub/sub channel of its order, which every gateway task
 * subscribes to for the orders its clients watch; each product or stock change drops what the gateways cached
 * about those products, in Redis and, through the cache's invalidation channel, in every task's memory. The same
 * steps the local buses run in-process.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import type Redis from 'iovalkey';
import { createRedisClient } from '../lib/redis';
import { lambdaContainer } from '../lib/runtime/lambda-container';
import { handleEventBridgeDelivery } from '../lib/runtime/lambda-events';
import { productCacheInvalidation } from './cache/product-invalidation';
import { TaggedCache, gatewayCachePrefix } from './cache/tagged-cache';
import { createOrderStatusPublisher } from './subscriptions/create-feed';
import type { OrderStatusFeed } from './subscriptions/order-status-feed';
import { orderStatusFanout } from './subscriptions/order-status-fanout';

/** The container's connections, kept to close them (`close`). */
let publisher: Pick<OrderStatusFeed, 'publish' | 'close'> | undefined;
let cacheConnections: Redis[] = [];
let cache: TaggedCache | undefined;

const container = lambdaContainer('gateway-fanout', (runtime) => {
  const { config, logger } = runtime;
  if (!config.redisUrl) throw new Error('REDIS_URL: the fan-out publishes to Redis and needs it');
  publisher = createOrderStatusPublisher(config.redisUrl, config);
  cacheConnections = [createRedisClient(config.redisUrl, { connectionName: 'gateway-fanout-cache' }), createRedisClient(config.redisUrl, { connectionName: 'gateway-fanout-cache-invalidations' })];
  // Nothing is read here: the cache only deletes by tag and tells the gateway tasks (one local entry is enough).
  cache = new TaggedCache({ maxEntries: 1, logger, redis: { client: cacheConnections[0]!, subscriber: cacheConnections[1]!, prefix: gatewayCachePrefix(config) } });
  return { runtime, consumers: [orderStatusFanout(publisher), productCacheInvalidation(cache, logger)] };
});

export async function handler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger, runtime.config.eventSigningSecret);
}

/**
 * Closes the container's Redis connections. Lambda freezes containers rather than stopping them, so nothing calls
 * this in AWS; a process that hosts the handler and then ends (tests, a local runner) does.
 */
export async function close(): Promise<void> {
  cache?.close();
  await publisher?.close();
  await Promise.all(cacheConnections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  publisher = undefined;
  cache = undefined;
  cacheConnections = [];
}
