/**
 * Catalog on AWS Lambda, built once per container from the same composition root as the HTTP service:
 * - `handler`: the function URL (payload v2): GraphQL on /graphql, the cacheable REST API on /products;
 * - `outboxRelayHandler`: the outbox relay: the table's DynamoDB Stream -> EventBridge, and the scheduled sweep.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { lambdaContainer, subgraphLambdaHandler } from '../../lib/runtime/lambda';
import { lambdaEventBus, relayOutbox, type OutboxRelayInvocation } from '../../lib/runtime/lambda-events';
import { serveRestFromLambda } from './rest/lambda-adapter';
import { catalogModule } from './composition';

const container = lambdaContainer('catalog', (runtime) => {
  const catalog = catalogModule(runtime);
  return {
    runtime,
    catalog,
    graphql: subgraphLambdaHandler(runtime, catalog.graphqlSpec),
    bus: lambdaEventBus(runtime.config, runtime.logger),
  };
});

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  const { catalog, graphql } = await container();
  if (event.rawPath === '/products' || event.rawPath.startsWith('/products/')) return serveRestFromLambda(catalog.rest, event);
  return graphql(event, context);
}

export async function outboxRelayHandler(event: OutboxRelayInvocation) {
  const { runtime, catalog, bus } = await container();
  return relayOutbox(event, runtime, bus, catalog.tableName);
}
