import type { ApolloServer } from '@apollo/server';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { callerFromSignedRequest, createSubgraphServer, type BaseSubgraphContext } from '../graphql/subgraph-server';
import { CORRELATION_HEADER, correlationIdFrom, RequestDeadline, runWithContext } from '../logging';
import { requestSigning, type ServiceRuntime } from './service-runtime';
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
    schema: spec.schema,
    resolvers: spec.resolvers as GraphQLResolverMap<never>,
    logger,
  });
  const handler = startServerAndCreateLambdaHandler(server, handlers.createAPIGatewayProxyEventV2RequestHandler(), {
    context: async ({ event }) =>
      spec.context({
        caller: callerFromSignedRequest(event.headers, requestTarget(event), requestSigning(config), logger),
        correlationId: correlationIdFrom(event.headers[CORRELATION_HEADER]),
        logger,
      }),
  });
  return async (event, context) => {
    const correlationId = correlationIdFrom(event.headers[CORRELATION_HEADER]);
    // The function's own timeout ends the invocation without a word: answer SERVICE_UNAVAILABLE a little before it.
    const budget = Math.min(config.timeouts.requestMs, context.getRemainingTimeInMillis() - LAMBDA_TIMEOUT_MARGIN_MS);
    const deadline = new RequestDeadline(Math.max(1, budget));
    try {
      const result = (await runWithContext({ correlationId, deadline }, () => handler(event, context, () => undefined))) as APIGatewayProxyStructuredResultV2;
      return { ...result, headers: { ...result.headers, [CORRELATION_HEADER]: correlationId } };
    } finally {
      deadline.dispose();
    }
  };
}

const LAMBDA_TIMEOUT_MARGIN_MS = 250;

/** What a function URL request's identity signature covers: the method, the request target and the body's exact bytes. */
function requestTarget(event: APIGatewayProxyEventV2): { method: string; path: string; body: Buffer } {
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return {
    method: event.requestContext.http.method,
    path: `${event.rawPath}${query}`,
    body: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
  };
}
