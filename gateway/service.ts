import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
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
import { createSigV4Signer, signedFetch } from '../lib/aws';
import { AppError } from '../lib/ddd';
import { createRedisClient } from '../lib/redis';
import { apolloLogger, createErrorFormatter, toGraphQLError, unavailableStatusPlugin } from '../lib/graphql';
import { mountGraphQL } from '../lib/graphql/express-mount';
import { createServiceApp, listen, listenMetrics, type RunningServer } from '../lib/http';
import { createMetricsRegistry } from '../lib/metrics';
import type { ServiceRuntime } from '../lib/runtime';
import { authenticate } from './authenticate';
import { corsOptions } from './cors';
import { operationMetricsPlugin } from './metrics/operation-metrics';
import { rateLimitRejections, type RateLimitRejections } from './metrics/rate-limit-metrics';
import { subgraphFetchTimer } from './metrics/subgraph-fetch-metrics';
import { registerSubscriptionGauges } from './metrics/subscription-metrics';
import { gatewayReadinessChecks } from './readiness';
import type { GatewayContext } from './gateway-context';
import { Edge } from './edge/admission';
import { httpEdge } from './edge/http-edge';
import { OperationGuard } from './limits/operation-guard';
import { requestSizeLimit } from './limits/query-limits';
import { clientAddressResolver } from './rate-limit/client-address';
import { createRateLimiter, type RateLimiter } from './rate-limit/rate-limiter';
import { TrustedDocuments } from './trusted-documents/manifest';
import { SignedIdentityDataSource, type SubgraphFetcher } from './signed-data-source';
import { multipartSubscriptions } from './subscriptions/multipart-subscriptions';
import { InProcessOrderStatusFeed, type OrderStatusFeed } from './subscriptions/order-status-feed';
import { SubscriptionExecutor, type FederatedExecutor } from './subscriptions/subscription-executor';
import { attachWebSocketServer, type GraphQLWebSocketServer } from './subscriptions/websocket-server';
import { mountWeb } from './web';

export const SUPERGRAPH_PATH = resolve(__dirname, '../schema/supergraph.graphql');
/** The storefront and GraphiQL builds (scripts/web-build.ts), served by the gateway (gateway/web/). */
export const WEB_ROOTS = { storefrontRoot: resolve(__dirname, '../web/dist'), graphiqlRoot: resolve(__dirname, '../web/dist-graphiql') };

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
  readonly app: Express;
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
  /** Releases what the edge holds (its Redis connection). */
  closeEdge(): Promise<void>;
  /** Metrics other parts of the gateway report to (the rate limiter counts its rejections here). */
  readonly metrics: { readonly rateLimitRejections: RateLimitRejections };
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

  const timeFetches = subgraphFetchTimer(registry);
  const dataSources = new Map<string, GraphQLDataSource>();
  const fetcher =
    config.subgraphAuth === 'iam' ? signedFetch(createSigV4Signer({ region: config.dynamodb.region }), fetch as unknown as SubgraphFetcher) : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8'),
    logger: apolloLogger(logger),
    buildService: ({ name, url }) => {
      const target = urls[name] ?? url;
      if (!target) throw new Error(`no URL configured for subgraph ${name}`);
      const dataSource = timeFetches(name, new SignedIdentityDataSource(target, config.gatewaySigningSecret, fetcher));
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
  const documents = config.edge.trustedDocuments ? TrustedDocuments.load(config.edge.trustedDocuments) : undefined;
  const guard = new OperationGuard(schema, config.queryLimits);
  // Its own connection: commands fail at once while Redis is away (no offline queue) and time out, so the
  // in-memory insurance limiter takes over instead of requests waiting on Redis.
  const rateLimitRedis =
    config.edge.rateLimit.enabled && config.redisUrl
      ? createRedisClient(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250 })
      : undefined;
  rateLimitRedis?.on('error', (error: unknown) => logger.debug({ err: error }, 'rate limiter Redis connection error'));
  const metrics = { rateLimitRejections: rateLimitRejections(registry) };
  const rateLimiter = createRateLimiter({
    settings: config.edge.rateLimit,
    redis: rateLimitRedis,
    keyPrefix: `${config.namespace}ratelimit:`,
    logger,
    onRejected: (limit) => metrics.rateLimitRejections.inc({ limit }),
  });
  const edge = new Edge({ verifyToken, guard, rateLimiter, documents });
  const addressOf = clientAddressResolver(config.edge.trustedProxies);

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
    // Persisted documents are the edge's (trusted documents); Apollo Server must not serve or register any itself.
    persistedQueries: false,
    // CSRF prevention is on by default in Apollo Server 5 and stays on.
    plugins: [
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      operationMetricsPlugin(registry),
      unavailableStatusPlugin<GatewayContext>(),
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
  app.use('/graphql', cors(corsOptions(config.corsOrigins)));
  mountGraphQL(
    app,
    server,
    async (req) => {
      // The edge identified the caller already; requests it left alone (batches) are identified here.
      let caller = req.graphqlAdmission?.caller;
      try {
        caller ??= await authenticate(verifyToken, req.headers.authorization);
      } catch (error) {
        if (error instanceof AppError) throw toGraphQLError(error);
        throw error;
      }
      return { caller, correlationId: req.correlationId, logger };
    },
    [httpEdge(edge, addressOf, edgeRefusals(registry)), multipartSubscriptions({ schema, executor: subscriptions, formatError, logger, hideSchemaDetails: config.production })],
    requestSizeLimit(config.queryLimits),
  );
  mountWeb(app, config, options.web ?? WEB_ROOTS);
  return {
    server,
    app,
    registry,
    verifyToken,
    feed,
    subscriptions,
    execute,
    schema,
    formatError,
    metrics,
    edge,
    rateLimiter,
    addressOf,
    async closeEdge() {
      if (rateLimitRedis) await rateLimitRedis.quit().catch(() => rateLimitRedis.disconnect());
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

export interface RunningGateway extends Gateway {
  readonly http: RunningServer;
  /** The separate `/metrics` listener, when METRICS_PORT asks for one. */
  readonly metricsHttp: RunningServer | undefined;
  readonly websocket: GraphQLWebSocketServer;
  stop(): Promise<void>;
}

export async function startGateway(runtime: ServiceRuntime, port: number, options: GatewayOptions = {}): Promise<RunningGateway> {
  const gateway = await createGateway(runtime, options);
  const http = await listen(gateway.app, port, runtime.config.host);
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
      await gateway.closeEdge();
    },
  };
}
