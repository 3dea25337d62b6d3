/**
 * Orders on AWS Lambda, built once per container from the same composition root as the HTTP service:
 * - `handler`: the function URL (payload v2), GraphQL;
 * - `eventHandler`: EventBridge rule targets (product.updated / product.price.changed invalidate the Catalog
 *   cache; payment.completed confirms the order);
 * - `outboxRelayHandler`: the table's DynamoDB Stream -> EventBridge (the outbox relay).
 */
import type { APIGatewayProxyEventV2, Context, DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import { lambdaContainer, subgraphLambdaHandler } from '../../lib/runtime/lambda';
import { handleEventBridgeDelivery, lambdaEventBus, relayOutboxStream } from '../../lib/runtime/lambda-events';
import { ordersEventConsumers } from './infrastructure/event-consumers';
import { ordersModule } from './service';

const container = lambdaContainer('orders', (runtime) => {
  const orders = ordersModule(runtime);
  return {
    runtime,
    orders,
    graphql: subgraphLambdaHandler(runtime, orders.graphqlSpec),
    consumers: ordersEventConsumers(orders.deps, orders.acl, runtime.logger),
    bus: lambdaEventBus(runtime.config, runtime.logger),
  };
});

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  const { graphql } = await container();
  return graphql(event, context);
}

export async function eventHandler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger);
}

export async function outboxRelayHandler(event: DynamoDBStreamEvent) {
  const { runtime, orders, bus } = await container();
  return relayOutboxStream(event, runtime, bus, orders.tableName);
}
