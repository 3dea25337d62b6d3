import type { ApolloServer } from '@apollo/server';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { callerFromHeaders, createSubgraphServer, type BaseSubgraphContext } from '../graphql/subgraph-server';
import { CORRELATION_HEADER, correlationIdFrom, runWithContext } from '../logging';
import type { ServiceRuntime } from './service-runtime';
import type { SubgraphServiceSpec } from './subgraph-spec';

export { lambdaContainer } from './lambda-container';

export type HttpLambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A subgraph's GraphQL endpoint as a Lambda handler for API Gateway HTTP API / function URL events (payload v2),
 * with @as-integrations/aws-lambda over the same spec (schema, resolvers, context) as the HTTP server. The
 * caller comes only from a valid gateway signature, as on the HTTP server.
 */
export function subgraphLambdaHandler<TContext extends BaseSubgraphContext>(runtime: ServiceRuntime, spec: SubgraphServiceSpec<TContext>): HttpLambdaHandler {
  const { config, logger } = runtime;
  const server: ApolloServer<TContext> = createSubgraphServer<TContext>({
    typeDefs: spec.typeDefs,
    resolvers: spec.resolvers as GraphQLResolverMap<never>,
    logger,
  });
  const handler = startServerAndCreateLambdaHandler(server, handlers.createAPIGatewayProxyEventV2RequestHandler(), {
    context: async ({ event }) =>
      spec.context({
        caller: callerFromHeaders(event.headers, config.gatewaySigningSecret, logger),
        correlationId: correlationIdFrom(event.headers[CORRELATION_HEADER]),
        logger,
      }),
  });
  return async (event, context) => {
    const correlationId = correlationIdFrom(event.headers[CORRELATION_HEADER]);
    const result = (await runWithContext({ correlationId }, () => handler(event, context, () => undefined))) as APIGatewayProxyStructuredResultV2;
    return { ...result, headers: { ...result.headers, [CORRELATION_HEADER]: correlationId } };
  };
}
