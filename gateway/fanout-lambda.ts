/**
 * The gateway's order status fan-out on AWS Lambda: the target of the EventBridge rule for order status events.
 * It publishes each change on the Redis (ElastiCache) pub/sub channel of its order, which every gateway task
 * subscribes to for the orders its clients watch: the same step the local buses run in-process.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { lambdaContainer } from '../lib/runtime/lambda-container';
import { handleEventBridgeDelivery } from '../lib/runtime/lambda-events';
import { createOrderStatusPublisher } from './subscriptions/create-feed';
import type { OrderStatusFeed } from './subscriptions/order-status-feed';
import { orderStatusFanout } from './subscriptions/order-status-fanout';

/** The container's publisher, kept to close its Redis connection (`close`). */
let publisher: Pick<OrderStatusFeed, 'publish' | 'close'> | undefined;

const container = lambdaContainer('gateway-fanout', (runtime) => {
  if (!runtime.config.redisUrl) throw new Error('REDIS_URL: the fan-out publishes to Redis and needs it');
  publisher = createOrderStatusPublisher(runtime.config.redisUrl, runtime.config);
  return { runtime, consumers: [orderStatusFanout(publisher)] };
});

export async function handler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger, runtime.config.eventSigningSecret);
}

/**
 * Closes the container's Redis connection. Lambda freezes containers rather than stopping them, so nothing calls
 * this in AWS; a process that hosts the handler and then ends (tests, a local runner) does.
 */
export async function close(): Promise<void> {
  await publisher?.close();
  publisher = undefined;
}
