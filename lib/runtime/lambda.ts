import type { ApolloServer } from '@apollo/server';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { resolveSecretVariables } from '../aws/secrets';
import { loadConfig } from '../config';
import { createSubgraphServer, callerFromHeaders, type BaseSubgraphContext } from '../graphql';
import { CORRELATION_HEADER, correlationIdFrom, runWithContext } from '../logging';
import { createServiceRuntime, type ServiceRuntime } from './service-runtime';
import type { SubgraphServiceSpec } from './subgraph-service';

/**
 * Builds a Lambda container's objects once, outside the handler (the "init phase" reuse the Lambda docs
 * recommend): secrets resolved from Secrets Manager, configuration validated, then the same composition root
 * the local server uses. A failed build is retried by the next invocation instead of poisoning the container.
 */
export function lambdaContainer<T>(service: string, build: (runtime: ServiceRuntime) => T | Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= (async () => {
      const env = await resolveSecretVariables(process.env);
      return build(createServiceRuntime(loadConfig(env), service));
    })().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
}

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
