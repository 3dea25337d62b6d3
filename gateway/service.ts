import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { resolve } from 'node:path';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Express } from 'express';
import { buildSchema, printSchema, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { Histogram, Registry } from 'prom-client';
import { createTokenVerifier, type TokenVerifier } from '../lib/auth';
import { ErrorCode } from '../lib/ddd';
import { apolloLogger, createErrorFormatter, unavailableStatusPlugin } from '../lib/graphql';
import { closeServer, createServiceApp, listen, listenMetrics, type RunningServer } from '../lib/http';
import { createMetricsRegistry } from '../lib/metrics';
import type { ServiceRuntime } from '../lib/runtime';
import type { Edge } from './edge/admission';
import { createGatewayEdge } from './edge/create-edge';
import type { GatewayContext } from './gateway-context';
import { graphqlRoute } from './http/graphql-route';
import { maskedErrorCorrelation } from './http/masked-error-correlation';
import { requestSizeLimit } from './limits/query-limits';
import { operationMetricsPlugin } from './metrics/operation-metrics';
import { rateLimitRejections, type RateLimitRejections } from './metrics/rate-limit-metrics';
import { registerSubscriptionGauges } from './metrics/subscription-metrics';
import { operationResolutionPlugin } from './operation-resolution';
import { createGatewayLevers, type GatewayLevers } from './performance-levers';
import type { RateLimiter } from './rate-limit/rate-limiter';
import { gatewayReadinessChecks } from './readiness';
import { fetchMetrics } from './subgraph/steps/fetch-metrics';
import { multipartSubscriptions, OpenStreams } from './subscriptions/multipart-subscriptions';
import { InProcessOrderStatusFeed, type OrderStatusFeed } from './subscriptions/order-status-feed';
import { SubscriptionExecutor, type FederatedExecutor } from './subscriptions/subscription-executor';
import { SubscriptionSlots, UNLIMITED_SLOTS } from './subscriptions/subscription-slots';
import { attachWebSocketServer, SERVICE_RESTART, type GraphQLWebSocketServer } from './subscriptions/websocket-server';
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
}

export interface Gateway {
  readonly server: ApolloServer<GatewayContext>;
  /** Everything but /graphql: health, metrics, the storefront, GraphiQL, demo tokens. */
  readonly app: Express;
  /** What the HTTP server runs: the /graphql pipeline (gateway/http/graphql-route.ts) in front of `app`. */
  readonly handler: RequestListener;
  readonly registry: Registry;
  readonly verifyToken: TokenVerifier;
  readonly feed: OrderStatusFeed;
  readonly subscriptions: SubscriptionExecutor;
  /** Subscriptions per caller and per address, over graphql-ws and multipart together. */
  readonly subscriptionSlots: SubscriptionSlots;
  /** The multipart subscription streams open now. */
  readonly streams: OpenStreams;
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
  /** From now on, answers ask clients to close their connection (the gateway is stopping). */
  drain(): void;
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
    payments: config.urls.paymentsGraphql,
    shipping: config.urls.shippingGraphql,
  };

  const levers = createGatewayLevers(runtime);
  const metricsOf = fetchMetrics(registry);
  const dataSources = new Map<string, GraphQLDataSource>();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8'),
    logger: apolloLogger(logger),
    experimental_approximateQueryPlanStoreMiB: levers.planCacheMiB,
    buildService: ({ name, url }) => {
      const target = urls[name] ?? url;
      if (!target) throw new Error(`no URL configured for subgraph ${name}`);
      const dataSource = levers.dataSource(name, target, metricsOf(name));
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

  // Requests the edge refuses never reach Apollo Server: they are counted as its `rejected` outcome here, on every
  // transport, as operations nobody could resolve.
  const operationMetrics = operationMetricsPlugin(registry);
  const operations = registry.getSingleMetric('graphql_operation_duration_seconds') as Histogram<'operation' | 'type' | 'outcome'>;
  // The edge (gateway/edge): fails start-up on a bad trusted documents manifest, before anything listens.
  const metrics = { rateLimitRejections: rateLimitRejections(registry) };
  const { edge, rateLimiter, addressOf, close: closeEdge, connected: edgeConnected } = createGatewayEdge(runtime, {
    verifyToken,
    schema,
    registeredDocuments: levers.persistedQueries,
    storefrontManifest: STOREFRONT_MANIFEST,
    onRateLimited: (limit) => metrics.rateLimitRejections.inc({ limit }),
    onRefused: (seconds) => operations.observe({ operation: 'unknown', type: 'unknown', outcome: 'rejected' }, seconds),
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
      operationMetrics,
      operationResolutionPlugin,
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
  const subscriptionSlots = config.edge.rateLimit.enabled
    ? new SubscriptionSlots({ perCaller: config.subscriptions.maxPerCaller, perAddress: config.subscriptions.maxPerAddress }, (limit) => rateLimiter.rejected(limit))
    : UNLIMITED_SLOTS;
  const streams = new OpenStreams();

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
  mountWeb(app, config, options.web ?? WEB_ROOTS);
  let draining = false;
  const handler = graphqlRoute({
    server,
    edge,
    corsOrigins: config.corsOrigins,
    bodyLimitBytes: requestSizeLimit(config.queryLimits),
    subscriptions: multipartSubscriptions({
      schema,
      executor: subscriptions,
      slots: subscriptionSlots,
      streams,
      formatError,
      logger,
      hideSchemaDetails: config.production,
      heartbeatMs: config.subscriptions.heartbeatMs,
    }),
    // The edge identified the caller before the body was read; the correlation id and deadline travel in the context.
    context: async (exchange) => ({ caller: exchange.caller ?? null, correlationId: exchange.correlationId, logger, deadline: exchange.deadline, address: exchange.address }),
    addressOf,
    duration: registry.getSingleMetric('http_request_duration_seconds') as Histogram<'method' | 'route' | 'status'>,
    logger,
    requestTimeoutMs: config.timeouts.requestMs,
    fallback: app,
    draining: () => draining,
  });
  return {
    server,
    app,
    handler,
    registry,
    verifyToken,
    feed,
    subscriptions,
    subscriptionSlots,
    streams,
    execute,
    schema,
    formatError,
    edge,
    rateLimiter,
    addressOf,
    levers,
    metrics,
    drain() {
      draining = true;
    },
    async close() {
      await closeEdge();
      await levers.close();
    },
  };
}

/** How long start-up waits for the gateway's Redis connections before serving without them. */
const REDIS_CONNECT_MS = 3_000;

/**
 * How long stopping waits for requests in flight to be answered before their connections are cut: within the 5 s an
 * orchestrator usually allows between SIGTERM and SIGKILL, with time left for closing connections and exiting.
 */
export const DRAIN_MS = 3_000;

/** The last part of a multipart subscription stream when the gateway stops: the client subscribes again. */
const RESTARTING = { payload: null, errors: [{ message: 'the gateway is restarting: subscribe again', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] };

export interface RunningGateway extends Gateway {
  readonly http: RunningServer;
  /** The separate `/metrics` listener, when METRICS_PORT asks for one. */
  readonly metricsHttp: RunningServer | undefined;
  readonly websocket: GraphQLWebSocketServer;
  /**
   * Stops gracefully (SIGTERM): no new connections; WebSockets closed with 1012 (service restart) and multipart
   * streams ended with a final part and the closing delimiter, so clients resubscribe elsewhere or once it is back;
   * requests in flight answered (for up to DRAIN_MS); then every connection it holds released.
   */
  stop(): Promise<void>;
}

export async function startGateway(runtime: ServiceRuntime, port: number, options: GatewayOptions = {}): Promise<RunningGateway> {
  const gateway = await createGateway(runtime, options);
  const http = await listen(gateway.handler, port, runtime.config.host);
  const metricsHttp = await listenMetrics(gateway.registry, runtime.config.metrics, runtime.config.host);
  const websocket = attachWebSocketServer(http.server, {
    path: '/graphql',
    schema: gateway.schema,
    executor: gateway.subscriptions,
    slots: gateway.subscriptionSlots,
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
    requestTimeoutMs: runtime.config.timeouts.requestMs,
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
      gateway.drain();
      // Stop accepting first; the sockets and streams below are the connections it then waits for.
      const drained = closeServer(http.server, DRAIN_MS);
      await websocket.close(SERVICE_RESTART, 'Service restart');
      gateway.streams.endAll(RESTARTING);
      await drained;
      await metricsHttp?.close();
      await gateway.server.stop();
      await gateway.feed.close();
      await gateway.close();
    },
  };
}
