/**
 * The gateway's order status fan-out on AWS Lambda: the target of the EventBridge rule for order status events.
 * It publishes each change on the Redis (ElastiCache) pub/sub channel of its order, which every gateway task
 * subscribes to for the orders its clients watch: the same step the local buses run in-process.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { lambdaContainer } from '../lib/runtime/lambda';
import { handleEventBridgeDelivery } from '../lib/runtime/lambda-events';
import { createOrderStatusFeed } from './subscriptions/create-feed';
import { orderStatusFanout } from './subscriptions/order-status-fanout';

const container = lambdaContainer('gateway-fanout', (runtime) => {
  if (!runtime.config.redisUrl) throw new Error('REDIS_URL: the fan-out publishes to Redis and needs it');
  return { runtime, consumers: [orderStatusFanout(createOrderStatusFeed(runtime.config, runtime.logger))] };
});

export async function handler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger);
}
