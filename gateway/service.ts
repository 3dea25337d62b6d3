import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import cors from 'cors';
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import { buildSchema, printSchema, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { Histogram, Registry } from 'prom-client';
import { createTokenVerifier, type TokenVerifier } from '../lib/auth';
import { AppError } from '../lib/ddd';
import { apolloLogger, createErrorFormatter, toGraphQLError } from '../lib/graphql';
import { mountGraphQL } from '../lib/graphql/express-mount';
import { createServiceApp, listen, type RunningServer } from '../lib/http';
import { createMetricsRegistry } from '../lib/metrics';
import type { ServiceRuntime } from '../lib/runtime';
import { authenticate } from './authenticate';
import type { GatewayContext } from './gateway-context';
import { graphqlRequestListener, type PreExecutionStep } from './http/graphql-request-listener';
import { maskedErrorCorrelation } from './http/masked-error-correlation';
import { queryLimitsPlugin } from './query-limits';
import { createGatewayLevers, type GatewayLevers, type LeverOptions } from './performance-levers';
import { multipartSubscriptions, plainPostSubscriptions } from './subscriptions/multipart-subscriptions';
import { InProcessOrderStatusFeed, type OrderStatusFeed } from './subscriptions/order-status-feed';
import { SubscriptionExecutor, type FederatedExecutor } from './subscriptions/subscription-executor';
import { attachWebSocketServer, type GraphQLWebSocketServer } from './subscriptions/websocket-server';

export const SUPERGRAPH_PATH = resolve(__dirname, '../schema/supergraph.graphql');

export interface GatewayOptions {
  /** Supergraph SDL; defaults to the composed schema/supergraph.graphql. */
  readonly supergraphSdl?: string;
  /** Where order status changes arrive for subscriptions; in-process unless the composition root passes Redis. */
  readonly feed?: OrderStatusFeed;
  /** Hooks of the performance levers (fetch observation for metrics, the APQ registration gate). */
  readonly levers?: LeverOptions;
  /** Steps before execution on the lean /graphql route (rate limiting). */
  readonly preExecution?: readonly PreExecutionStep[];
}

export interface Gateway {
  readonly server: ApolloServer<GatewayContext>;
  readonly app: Express;
  /** What the HTTP server runs: the lean /graphql route in front of `app`, or `app` alone. */
  readonly handler: RequestListener;
  readonly registry: Registry;
  readonly verifyToken: TokenVerifier;
  readonly feed: OrderStatusFeed;
  readonly subscriptions: SubscriptionExecutor;
  /** Runs an operation through the supergraph as a given caller (subscriptions use it for their payloads). */
  readonly execute: FederatedExecutor;
  /** The API schema clients see, Subscription type included. */
  schema(): GraphQLSchema;
  /** The one mapping of errors to `extensions.code`, for every protocol the gateway speaks. */
  readonly formatError: ReturnType<typeof createErrorFormatter>;
  /** Dedupe, response cache, subgraph transport, persisted queries (see performance-levers.ts). */
  readonly levers: GatewayLevers;
}

/**
 * Composition root of the gateway: the supergraph executor (started), auth, query limits, the subscription
 * executor and the HTTP app (not listening; WebSocket subscriptions attach when it listens).
 */
export async function createGateway(runtime: ServiceRuntime, options: GatewayOptions = {}): Promise<Gateway> {
  const { config, logger } = runtime;
  const registry = createMetricsRegistry('gateway');
  const verifyToken = createTokenVerifier(config.jwt);
  const urls: Record<string, string> = {
    catalog: config.urls.catalogGraphql,
    orders: config.urls.ordersGraphql,
    rewards: config.urls.rewardsGraphql,
  };

  const levers = createGatewayLevers(runtime, options.levers);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8'),
    logger: apolloLogger(logger),
    experimental_approximateQueryPlanStoreMiB: levers.planCacheMiB,
    buildService: ({ name, url }) => {
      const target = urls[name] ?? url;
      if (!target) throw new Error(`no URL configured for subgraph ${name}`);
      return levers.dataSource(name, target);
    },
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    // A copy without the gateway's own field resolvers (it installs alias-reading ones), so that subscription
    // execution uses the subscription executor's resolvers; validation and introspection are identical.
    apiSchema = buildSchema(printSchema(loaded));
  });
  const schema = (): GraphQLSchema => {
    if (!apiSchema) throw new Error('the supergraph schema is not loaded yet');
    return apiSchema;
  };

  const formatError = createErrorFormatter(logger);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    logger: apolloLogger(logger),
    formatError,
    includeStacktraceInErrorResponses: false,
    // The composition root owns shutdown order; Apollo must not stop itself and re-raise the signal.
    stopOnTerminationSignals: false,
    introspection: !config.production,
    persistedQueries: levers.persistedQueries,
    // CSRF prevention is on by default in Apollo Server 5 and stays on.
    plugins: [
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      queryLimitsPlugin(config.queryLimits),
      maskedErrorCorrelation,
      // After the limits: a cached response is served only to a request that passed them.
      ...levers.plugins,
    ],
  });
  await server.start();

  const execute: FederatedExecutor = async (request, contextValue) => {
    const response = await server.executeOperation(request, { contextValue });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by the gateway');
    return response.body.singleResult as FormattedExecutionResult;
  };
  const feed = options.feed ?? new InProcessOrderStatusFeed();
  const subscriptions = new SubscriptionExecutor({ schema, feed, execute, logger });

  const contextFor = async (authorization: string | undefined, correlationId: string): Promise<GatewayContext> => {
    let caller;
    try {
      caller = await authenticate(verifyToken, authorization);
    } catch (error) {
      if (error instanceof AppError) throw toGraphQLError(error);
      throw error;
    }
    return { caller, correlationId, logger };
  };
  const app = createServiceApp({ service: 'gateway', logger, registry });
  const corsPolicy = cors();
  app.use('/graphql', corsPolicy);
  mountGraphQL(app, server, (req) => contextFor(req.headers.authorization, req.correlationId), [
    multipartSubscriptions({ schema, verifyToken, executor: subscriptions, formatError, limits: config.queryLimits, logger }),
  ]);
  const handler: RequestListener = config.gatewayPerformance.leanHttp
    ? graphqlRequestListener({
        server,
        context: ({ req, correlationId }) => contextFor(req.headers.authorization, correlationId),
        cors: corsPolicy,
        duration: registry.getSingleMetric('http_request_duration_seconds') as Histogram<'method' | 'route' | 'status'>,
        logger,
        steps: [plainPostSubscriptions({ schema, limits: config.queryLimits }), ...(options.preExecution ?? [])],
        fallback: app,
      })
    : app;
  return { server, app, handler, registry, verifyToken, feed, subscriptions, execute, schema, formatError, levers };
}

export interface RunningGateway extends Gateway {
  readonly http: RunningServer;
  readonly websocket: GraphQLWebSocketServer;
  stop(): Promise<void>;
}

export async function startGateway(runtime: ServiceRuntime, port: number, options: GatewayOptions = {}): Promise<RunningGateway> {
  const gateway = await createGateway(runtime, options);
  const http = await listen(gateway.handler, port, runtime.config.host);
  const websocket = attachWebSocketServer(http.server, {
    path: '/graphql',
    schema: gateway.schema,
    verifyToken: gateway.verifyToken,
    executor: gateway.subscriptions,
    execute: gateway.execute,
    formatError: gateway.formatError,
    limits: runtime.config.queryLimits,
    maxSubscriptionsPerConnection: runtime.config.subscriptions.maxPerConnection,
    keepAliveMs: runtime.config.subscriptions.keepAliveMs,
    logger: runtime.logger,
  });
  return {
    ...gateway,
    http,
    websocket,
    async stop() {
      await websocket.close();
      await http.close();
      await gateway.server.stop();
      await gateway.feed.close();
      await gateway.levers.close();
    },
  };
}
