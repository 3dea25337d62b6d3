/**
 * Catalog on AWS Lambda, built once per container from the same composition root as the HTTP service:
 * - `handler`: the function URL (payload v2): GraphQL on /graphql, the cacheable REST API on /products, the
 *   internal stock-holds commands on /internal/stock-holds (Orders only: SigV4 + signed service identity);
 * - `eventHandler`: EventBridge rule targets (order.created claims a stock hold, order.cancelled releases it,
 *   order.completed sells it);
 * - `holdSweepHandler`: the schedule that releases stock holds no order claimed in time;
 * - `outboxRelayHandler`: the outbox relay: the table's DynamoDB Stream -> EventBridge, and the scheduled sweep.
 */
import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from 'aws-lambda';
import { serveInternalApiFromLambda } from '../../lib/internal-api/lambda';
import { lambdaContainer, subgraphLambdaHandler } from '../../lib/runtime/lambda';
import { handleEventBridgeDelivery, lambdaEventBus, relayOutbox, type OutboxRelayInvocation } from '../../lib/runtime/lambda-events';
import { expireUnclaimedHolds } from './application/stock-hold-lifecycle';
import { catalogEventConsumers } from './infrastructure/event-consumers';
import { serveRestFromLambda } from './rest/lambda-adapter';
import { catalogModule } from './composition';

const container = lambdaContainer('catalog', (runtime) => {
  const catalog = catalogModule(runtime);
  return {
    runtime,
    catalog,
    graphql: subgraphLambdaHandler(runtime, catalog.graphqlSpec),
    consumers: catalogEventConsumers(catalog.deps, runtime.logger),
    bus: lambdaEventBus(runtime.config, runtime.logger),
  };
});

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  const { catalog, graphql } = await container();
  if (event.rawPath === '/products' || event.rawPath.startsWith('/products/')) return serveRestFromLambda(catalog.rest, event);
  if (event.rawPath.startsWith('/internal/')) return serveInternalApiFromLambda(catalog.internal, event);
  return graphql(event, context);
}

export async function eventHandler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger, runtime.config.eventSigningSecret);
}

export async function holdSweepHandler() {
  const { catalog } = await container();
  return { released: await expireUnclaimedHolds(catalog.deps) };
}

export async function outboxRelayHandler(event: OutboxRelayInvocation) {
  const { runtime, catalog, bus } = await container();
  return relayOutbox(event, runtime, bus, catalog.tableName);
}
