/**
 * Orders on AWS Lambda, built once per container from the same composition root as the HTTP service:
 * - `handler`: the function URL (payload v2), GraphQL;
 * - `eventHandler`: EventBridge rule targets (product.updated / product.price.changed invalidate the Catalog
 *   cache; payment.completed confirms the order);
 * - `outboxRelayHandler`: the outbox relay: the table's DynamoDB Stream -> EventBridge, and the scheduled sweep.
 */
import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from 'aws-lambda';
import { lambdaContainer, subgraphLambdaHandler } from '../../lib/runtime/lambda';
import { handleEventBridgeDelivery, lambdaEventBus, relayOutbox, type OutboxRelayInvocation } from '../../lib/runtime/lambda-events';
import { ordersEventConsumers } from './infrastructure/event-consumers';
import { ordersModule } from './composition';

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
  return handleEventBridgeDelivery(event, consumers, runtime.logger, runtime.config.eventSigningSecret);
}

export async function outboxRelayHandler(event: OutboxRelayInvocation) {
  const { runtime, orders, bus } = await container();
  return relayOutbox(event, runtime, bus, orders.tableName);
}
