/**
 * Shipping on AWS Lambda, built once per container from the same composition root as the HTTP service:
 * - `handler`: the function URL (payload v2): GraphQL on /graphql, the internal commands on /internal (Orders only:
 *   SigV4 + signed service identity);
 * - `eventHandler`: the EventBridge rule target for order.confirmed (the shipment, READY) and order.cancelled
 *   (a READY shipment withdrawn);
 * - `outboxRelayHandler`: the outbox relay: the table's DynamoDB Stream -> EventBridge, and the scheduled sweep.
 */
import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from 'aws-lambda';
import { serveInternalApiFromLambda } from '../../lib/internal-api/lambda';
import { lambdaContainer, subgraphLambdaHandler } from '../../lib/runtime/lambda';
import { handleEventBridgeDelivery, lambdaEventBus, relayOutbox, type OutboxRelayInvocation } from '../../lib/runtime/lambda-events';
import { shippingEventConsumers } from './infrastructure/event-consumers';
import { shippingModule } from './composition';

const container = lambdaContainer('shipping', (runtime) => {
  const shipping = shippingModule(runtime);
  return {
    runtime,
    shipping,
    graphql: subgraphLambdaHandler(runtime, shipping.graphqlSpec),
    consumers: shippingEventConsumers(shipping.deps, runtime.logger),
    bus: lambdaEventBus(runtime.config, runtime.logger),
  };
});

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  const { graphql, shipping } = await container();
  if (event.rawPath.startsWith('/internal/')) return serveInternalApiFromLambda(shipping.internal, event);
  return graphql(event, context);
}

export async function eventHandler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger, runtime.config.eventSigningSecret);
}

export async function outboxRelayHandler(event: OutboxRelayInvocation) {
  const { runtime, shipping, bus } = await container();
  return relayOutbox(event, runtime, bus, shipping.tableName);
}
