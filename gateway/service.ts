import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { resolve } from 'node:path';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import cors from 'cors';
import type { Express } from 'express';
import { buildSchema, printSchema, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { Histogram, Registry } from 'prom-client';
import { createTokenVerifier, type TokenVerifier } from '../lib/auth';
import { AppError } from '../lib/ddd';
import { apolloLogger, createErrorFormatter, toGraphQLError, unavailableStatusPlugin } from '../lib/graphql';
import { mountGraphQL } from '../lib/graphql/express-mount';
import { createServiceApp, listen, listenMetrics, type RunningServer } from '../lib/http';
import { currentDeadline, type RequestDeadline } from '../lib/logging';
import { createMetricsRegistry } from '../lib/metrics';
import type { ServiceRuntime } from '../lib/runtime';
import { authenticate } from './authenticate';
import { corsOptions } from './cors';
import type { Caller, Edge } from './edge/admission';
import { createGatewayEdge } from './edge/create-edge';
import { httpEdge, leanEdge } from './edge/http-edge';
import type { GatewayContext } from './gateway-context';
import { graphqlRequestListener } from './http/graphql-request-listener';
import { maskedErrorCorrelation } from './http/masked-error-correlation';
import { requestSizeLimit } from './limits/query-limits';
import { operationMetricsPlugin } from './metrics/operation-metrics';
import { rateLimitRejections, type RateLimitRejections } from './metrics/rate-limit-metrics';
import { subgraphFetchTimer } from './metrics/subgraph-fetch-metrics';
import { registerSubscriptionGauges } from './metrics/subscription-metrics';
import { createGatewayLevers, type GatewayLevers, type LeverOptions } from './performance-levers';
import type { RateLimiter } from './rate-limit/rate-limiter';
import { gatewayReadinessChecks } from './readiness';
import { multipartSubscriptions, plainPostSubscriptions } from './subscriptions/multipart-subscriptions';
import { InProcessOrderStatusFeed, type OrderStatusFeed } from './subscriptions/order-status-feed';
import { SubscriptionExecutor, type FederatedExecutor } from './subscriptions/subscription-executor';
import { attachWebSocketServer, type GraphQLWebSocketServer } from './subscriptions/websocket-server';
import { mountWeb } from './web';

export const SUPERGRAPH_PATH = resolve(__dirname, '../schema/supergraph.graphql');
/** The storefront and GraphiQL builds (scripts/web-build.ts), served by the gateway (gateway/web/). */
export const WEB_ROOTS = { storefrontRoot: resolve(__dirname, '../web/dist'), graphiqlRoot: resolve(__dirname, '../web/dist-graphiql') };
/** The storefront's operations by hash (npm run codegen), which the gateway knows without registration. */
export const STOREFRONT_MANIFEST = resolve(__dirname, '../web/persisted-query-manifest.json');

export interface GatewayOptions {
  /** Supergraph SDL; defaults to the composed schema/supergraph.graphql. */
  readonly supergraphSdl?: string;
  /** Where order status changes arrive for subscriptions; in-process unless the composition root passes Redis. */
  readonly feed?: OrderStatusFeed;
  /** How long a readiness result (subgraphs, Redis) is reused; see gateway/readiness.ts. */
  readonly readinessCacheMs?: number;
  /** Where the storefront and GraphiQL builds are; defaults to WEB_ROOTS. */
  readonly web?: { readonly storefrontRoot: string; readonly graphiqlRoot: string };
  /** Hooks of the performance levers (fetch observation for metrics). */
  readonly levers?: LeverOptions;
}

export interface Gateway {
  readonly server: ApolloServer<GatewayContext>;
  readonly app: Express;
  /** What the HTTP server runs: the lean /graphql route in front of `app`, or `app` alone (GATEWAY_LEAN_HTTP). */
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
  /** Identity, rate limits, trusted documents and query limits for every operation, on every transport. */
  readonly edge: Edge;
  readonly rateLimiter: RateLimiter;
  readonly addressOf: (request: IncomingMessage) => string;
  /** Dedupe, response cache, subgraph transport, persisted queries (see performance-levers.ts). */
  readonly levers: GatewayLevers;
  /** Metrics other parts of the gateway report to (the rate limiter counts its rejections here). */
  readonly metrics: { readonly rateLimitRejections: RateLimitRejections };
  /** Releases the edge's and the levers' connections. */
  close(): Promise<void>;
}

/**
 * Composition root of the gateway: the supergraph executor (started), the edge (auth, rate limits, trusted
 * documents, query limits), the throughput levers, the subscription executor and the HTTP handler (not listening;
 * WebSocket subscriptions attach when it listens).
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
  const timeFetches = subgraphFetchTimer(registry);
  const dataSources = new Map<string, GraphQLDataSource>();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8'),
    logger: apolloLogger(logger),
    experimental_approximateQueryPlanStoreMiB: levers.planCacheMiB,
    buildService: ({ name, url }) => {
      const target = urls[name] ?? url;
      if (!target) throw new Error(`no URL configured for subgraph ${name}`);
      const dataSource = timeFetches(name, levers.dataSource(name, target));
      dataSources.set(name, dataSource);
      return dataSource;
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

  // The edge (gateway/edge): fails start-up on a bad trusted documents manifest, before anything listens.
  const metrics = { rateLimitRejections: rateLimitRejections(registry) };
  const { edge, rateLimiter, addressOf, close: closeEdge, connected: edgeConnected } = createGatewayEdge(runtime, {
    verifyToken,
    schema,
    registeredDocuments: levers.persistedQueries,
    storefrontManifest: STOREFRONT_MANIFEST,
    onRateLimited: (limit) => metrics.rateLimitRejections.inc({ limit }),
  });
  // Their Redis clients fail commands while connecting (no offline queue): connect them before serving, so the
  // first requests share limits, cache and persisted queries with the other instances.
  await Promise.all([levers.connected(REDIS_CONNECT_MS), edgeConnected(REDIS_CONNECT_MS)]);

  const formatError = createErrorFormatter(logger);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    logger: apolloLogger(logger),
    formatError,
    includeStacktraceInErrorResponses: false,
    // The composition root owns shutdown order; Apollo must not stop itself and re-raise the signal.
    stopOnTerminationSignals: false,
    introspection: !config.production,
    // No "Did you mean ...?" in production: suggestions reveal the schema that introspection hides.
    hideSchemaDetailsFromClientErrors: config.production,
    // The edge checks tokens before anything else (parseOptions covers documents it has not seen: executeOperation).
    parseOptions: { maxTokens: config.queryLimits.maxTokens },
    // Persisted documents are the edge's (trusted documents, the storefront's manifest, APQ); Apollo Server must
    // not serve or register any itself.
    persistedQueries: false,
    // CSRF prevention is on by default in Apollo Server 5 and stays on.
    plugins: [
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      operationMetricsPlugin(registry),
      unavailableStatusPlugin<GatewayContext>(),
      maskedErrorCorrelation,
      // Every request reaching Apollo Server passed the edge: a cached response is served only to an admitted one.
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
  const subscriptions = new SubscriptionExecutor({ schema, feed, execute, logger, fetchTimeoutMs: config.timeouts.requestMs });

  /** The caller the edge identified; requests it left alone (batches) are identified here. */
  const contextFor = async (admitted: Caller | undefined, authorization: string | undefined, correlationId: string, deadline: RequestDeadline | undefined): Promise<GatewayContext> => {
    let caller = admitted;
    try {
      caller ??= await authenticate(verifyToken, authorization);
    } catch (error) {
      if (error instanceof AppError) throw toGraphQLError(error);
      throw error;
    }
    return { caller, correlationId, logger, deadline };
  };
  const healthChecks = gatewayReadinessChecks({
    supergraphLoaded: () => apiSchema !== undefined,
    subgraphs: dataSources,
    redisUrl: config.redisUrl,
    ...(options.readinessCacheMs !== undefined ? { cacheMs: options.readinessCacheMs } : {}),
  });
  const app = createServiceApp({
    service: 'gateway',
    logger,
    registry,
    healthChecks,
    trustedProxies: config.edge.trustedProxies,
    metrics: config.metrics,
    requestTimeoutMs: config.timeouts.requestMs,
  });
  const corsPolicy = cors(corsOptions(config.corsOrigins));
  const refusals = edgeRefusals(registry);
  const lean = leanEdge(edge, addressOf, refusals);
  const bodyLimitBytes = requestSizeLimit(config.queryLimits);
  app.use('/graphql', corsPolicy);
  mountGraphQL(
    app,
    server,
    // The service app put this request's deadline in its context (lib/http/service-app.ts).
    (req) => contextFor(req.graphqlAdmission?.caller, req.headers.authorization, req.correlationId, currentDeadline()),
    [httpEdge(edge, addressOf, refusals), multipartSubscriptions({ schema, executor: subscriptions, formatError, logger, hideSchemaDetails: config.production })],
    bodyLimitBytes,
  );
  mountWeb(app, config, options.web ?? WEB_ROOTS);
  const handler: RequestListener = config.gatewayPerformance.leanHttp
    ? graphqlRequestListener({
        server,
        context: (request) => contextFor(request.admission?.caller ?? request.identified?.caller, request.req.headers.authorization, request.correlationId, request.deadline),
        cors: corsPolicy,
        duration: registry.getSingleMetric('http_request_duration_seconds') as Histogram<'method' | 'route' | 'status'>,
        logger,
        beforeBody: [lean.beforeBody],
        steps: [lean.afterBody, plainPostSubscriptions()],
        fallback: app,
        bodyLimitBytes,
        requestTimeoutMs: config.timeouts.requestMs,
      })
    : app;
  return {
    server,
    app,
    handler,
    registry,
    verifyToken,
    feed,
    subscriptions,
    execute,
    schema,
    formatError,
    edge,
    rateLimiter,
    addressOf,
    levers,
    metrics,
    async close() {
      await closeEdge();
      await levers.close();
    },
  };
}

/**
 * Requests the edge refuses never reach Apollo Server, so the operation metrics plugin does not see them: they are
 * counted here as its `rejected` outcome, as an operation nobody could resolve.
 */
function edgeRefusals(registry: Registry): (seconds: number) => void {
  const operations = registry.getSingleMetric('graphql_operation_duration_seconds') as Histogram<'operation' | 'type' | 'outcome'> | undefined;
  return (seconds) => operations?.observe({ operation: 'unknown', type: 'unknown', outcome: 'rejected' }, seconds);
}

/** How long start-up waits for the gateway's Redis connections before serving without them. */
const REDIS_CONNECT_MS = 3_000;

export interface RunningGateway extends Gateway {
  readonly http: RunningServer;
  /** The separate `/metrics` listener, when METRICS_PORT asks for one. */
  readonly metricsHttp: RunningServer | undefined;
  readonly websocket: GraphQLWebSocketServer;
  stop(): Promise<void>;
}

export async function startGateway(runtime: ServiceRuntime, port: number, options: GatewayOptions = {}): Promise<RunningGateway> {
  const gateway = await createGateway(runtime, options);
  const http = await listen(gateway.handler, port, runtime.config.host);
  const metricsHttp = await listenMetrics(gateway.registry, runtime.config.metrics, runtime.config.host);
  const websocket = attachWebSocketServer(http.server, {
    path: '/graphql',
    schema: gateway.schema,
    verifyToken: gateway.verifyToken,
    executor: gateway.subscriptions,
    execute: gateway.execute,
    formatError: gateway.formatError,
    edge: gateway.edge,
    rateLimiter: gateway.rateLimiter,
    addressOf: gateway.addressOf,
    connectionsPerAddress: runtime.config.edge.rateLimit.wsConnectionsPerIp,
    subscribesPerConnectionPerMinute: runtime.config.edge.rateLimit.wsSubscribesPerConnection,
    hideSchemaDetails: runtime.config.production,
    maxPayloadBytes: requestSizeLimit(runtime.config.queryLimits),
    maxSubscriptionsPerConnection: runtime.config.subscriptions.maxPerConnection,
    keepAliveMs: runtime.config.subscriptions.keepAliveMs,
    logger: runtime.logger,
  });
  registerSubscriptionGauges(gateway.registry, {
    subscriptions: () => gateway.feed.stats().listeners,
    websocketConnections: () => websocket.connections(),
  });
  return {
    ...gateway,
    http,
    metricsHttp,
    websocket,
    async stop() {
      await websocket.close();
      await http.close();
      await metricsHttp?.close();
      await gateway.server.stop();
      await gateway.feed.close();
      await gateway.close();
    },
  };
}
