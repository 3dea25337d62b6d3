/**
 * Orders on AWS Lambda, built once per container from the same composition root as the HTTP service:
 * - `handler`: the function URL (payload v2): GraphQL on /graphql, the internal API on /internal (other contexts'
 *   services only: SigV4 + signed service identity);
 * - `eventHandler`: EventBridge rule targets (product.updated / product.price.changed invalidate the Catalog
 *   cache; payment.completed and payment.authorized confirm the order; shipment.shipped and shipment.delivered resume
 *   an order whose shipOrder or markOrderDelivered stopped before its save);
 * - `deadlineSweepHandler`: the schedule that cancels unpaid orders past their payment deadline;
 * - `outboxRelayHandler`: the outbox relay: the table's DynamoDB Stream -> EventBridge, and the scheduled sweep.
 */
import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from 'aws-lambda';
import { serveInternalApiFromLambda } from '../../lib/internal-api/lambda';
import { lambdaContainer, subgraphLambdaHandler } from '../../lib/runtime/lambda';
import { handleEventBridgeDelivery, lambdaEventBus, relayOutbox, type OutboxRelayInvocation } from '../../lib/runtime/lambda-events';
import { cancelOverdueOrders } from './application/payment-deadline';
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
  const { graphql, orders } = await container();
  if (event.rawPath.startsWith('/internal/')) return serveInternalApiFromLambda(orders.internal, event);
  return graphql(event, context);
}

export async function deadlineSweepHandler() {
  const { orders, runtime } = await container();
  const cancelled = await cancelOverdueOrders(orders.deps);
  if (cancelled > 0) runtime.logger.info({ count: cancelled }, 'cancelled unpaid orders past their payment deadline');
  return { cancelled };
}

export async function eventHandler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger, runtime.config.eventSigningSecret);
}

export async function outboxRelayHandler(event: OutboxRelayInvocation) {
  const { runtime, orders, bus } = await container();
  return relayOutbox(event, runtime, bus, orders.tableName);
}
