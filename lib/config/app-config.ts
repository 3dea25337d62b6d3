import { edgeEnv, edgeSettings, queryLimitSettings, type EdgeSettings, type QueryLimitsSettings } from './edge-config';
import { ConfigError, env, parseEnv } from './env';
import { mailEnv, mailSettings, type MailSettings } from './mail-config';
import { setting, settingsSchema, type Settings } from './setting';
import { DEV_EVENT_SIGNING_SECRET, DEV_JWT_SECRET, DEV_SIGNING_SECRET, secretProblem, usesDevelopmentDefaults } from './secrets-policy';
import { stripeEnv, stripeSettings, type StripeSettings } from './stripe-config';

export type EventBusKind = 'memory' | 'redis' | 'eventbridge';
/**
 * How the gateway proves itself to subgraphs, on top of the signed identity headers: nothing more when they sit
 * on a private network (local runs, compose), or SigV4 with its IAM role when subgraphs are Lambda function URLs
 * with AWS_IAM auth (infra/).
 */
export type SubgraphAuth = 'signed-identity' | 'iam';
export type ContextName = 'catalog' | 'orders' | 'rewards' | 'payments' | 'shipping';

export interface AppConfig {
  /** NODE_ENV as set; `production` when unset (fail closed: see secrets-policy.ts). */
  readonly nodeEnv: string;
  /** Anything but NODE_ENV=development or test: real secrets, no Sandbox, no introspection, metrics not public. */
  readonly production: boolean;
  readonly logLevel: string;
  readonly host: string;
  readonly ports: {
    readonly gateway: number;
    readonly catalog: number;
    readonly orders: number;
    readonly rewards: number;
    readonly payments: number;
    readonly shipping: number;
    /** The Notifications worker's /health and /metrics (it serves no API). */
    readonly notifications: number;
  };
  /** Where the gateway and other contexts reach each subgraph. */
  readonly urls: {
    readonly catalogGraphql: string;
    readonly ordersGraphql: string;
    readonly rewardsGraphql: string;
    readonly paymentsGraphql: string;
    readonly shippingGraphql: string;
    /** Shipping's service root, where Orders sends its internal commands (ship, deliver). */
    readonly shipping: string;
    /** Catalog's cacheable REST read API, read by the Orders anti-corruption layer. */
    readonly catalogRest: string;
    /** Orders' service root, where other contexts read orders (ORDERS_URL without its /graphql). */
    readonly orders: string;
    /** Payments' service root, where Orders sends its internal commands (capture; PAYMENTS_URL without its /graphql). */
    readonly payments: string;
  };
  readonly dynamodb: {
    readonly endpoint: string | undefined;
    readonly region: string;
    /** Each context's table; Notifications, which has no subgraph, keeps its delivery records in its own. */
    readonly tables: Readonly<Record<ContextName | 'notifications', string>>;
  };
  readonly redisUrl: string | undefined;
  readonly eventBus: { readonly kind: EventBusKind; readonly name: string };
  readonly jwt: {
    readonly secret: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
    /** The longest lifetime a client token may have (exp - iat, or exp - now without iat). */
    readonly maxTtlSeconds: number;
  };
  readonly gatewaySigningSecret: string;
  /** How far a signed request's timestamp may be from the receiver's clock, either way (lib/auth/signed-request.ts). */
  readonly signedRequestWindowSeconds: number;
  /** HMAC key of event envelopes (lib/events/event-signature.ts). */
  readonly eventSigningSecret: string;
  /**
   * Where `/metrics` is served: on the service's own port (open in development, behind `token` when set), on a
   * separate `port` (not published by containers), or nowhere (production without either).
   */
  readonly metrics: { readonly port: number | undefined; readonly token: string | undefined; readonly onServicePort: boolean };
  readonly timeouts: {
    /** The deadline of every request a service serves (SERVICE_UNAVAILABLE beyond it). */
    readonly requestMs: number;
    readonly dynamodbConnectionMs: number;
    readonly dynamodbRequestMs: number;
  };
  /** How long an idempotency key of `placeOrder` names its order (DynamoDB TTL, then free again). */
  readonly idempotencyKeyTtlSeconds: number;
  readonly subgraphAuth: SubgraphAuth;
  readonly dataDir: string;
  /**
   * Prefix of this deployment's shared names (tables by default, Redis keys, streams and channels), so several
   * deployments, or test runs, can share one DynamoDB and one Redis without seeing each other.
   */
  readonly namespace: string;
  readonly catalogAcl: {
    /** How long past staleness a cached product may stand in for a failing Catalog (RFC 5861 stale-if-error). */
    readonly staleIfErrorSeconds: number;
    readonly timeoutMs: number;
    readonly breakerHalfOpenAfterMs: number;
    readonly breakerThreshold: number;
  };
  readonly subscriptions: {
    readonly maxPerConnection: number;
    readonly keepAliveMs: number;
    /** How often an idle multipart subscription gets an empty part (Apollo's protocol: every 5 s). */
    readonly heartbeatMs: number;
    /** Subscriptions one caller (JWT `sub`) may hold at once per gateway instance, over graphql-ws and multipart together. */
    readonly maxPerCaller: number;
    /** Subscriptions one client address may hold at once per gateway instance, whoever its callers are. */
    readonly maxPerAddress: number;
  };
  readonly queryLimits: QueryLimitsSettings;
  /** Rate limits, trusted documents and proxies of the gateway (lib/config/edge-config.ts). */
  readonly edge: EdgeSettings;
  /** Origins allowed to call the gateway from a browser (CORS): `*`, a list, or none (same-origin pages only). */
  readonly corsOrigins: readonly string[] | '*';
  /** Ports `npm start` runs DynamoDB Local and redis-server on; undefined: the default, or a free one if it is taken. */
  readonly localPorts: { readonly dynamodb: number | undefined; readonly redis: number | undefined; readonly stripeEmulator: number };
  /** Stock holds (issue 10): how long an unclaimed hold keeps its units, how often the local sweep runs. */
  readonly stockHolds: { readonly ttlSeconds: number; readonly sweepIntervalMs: number; readonly timeoutMs: number };
  /** The gateway's throughput levers (docs/benchmarks.md); each can be turned off to measure it alone. */
  readonly gatewayPerformance: GatewayPerformanceConfig;
  /** The payment provider (lib/config/stripe-config.ts). */
  readonly stripe: StripeSettings;
  /** The payment deadline of a PENDING order and how often the local sweep looks for orders past it. */
  readonly payments: { readonly timeoutSeconds: number; readonly deadlineSweepIntervalMs: number };
  /** Calls between contexts' internal APIs (lib/internal-api): each call's budget and the breaker in front of each callee. */
  readonly internalApi: { readonly timeoutMs: number; readonly breakerThreshold: number; readonly breakerHalfOpenAfterMs: number };
  /** Anti-hoarding caps on a customer's unpaid (PENDING) orders; admins are not capped. */
  readonly customerLimits: { readonly maxPendingOrders: number; readonly maxHeldUnits: number };
  /** How Notifications sends email (lib/config/mail-config.ts). */
  readonly mail: MailSettings;
}

export interface GatewayPerformanceConfig {
  /** Share one subgraph fetch between identical in-flight queries of the same caller. */
  readonly dedupe: boolean;
  /** Whole-response and entity caching by the subgraphs' cache hints (shared in Redis when configured). */
  readonly responseCache: boolean;
  /** Entries each gateway process keeps in memory in front of the shared cache. */
  readonly responseCacheEntries: number;
  /** Connections each gateway process opens at most to one subgraph. */
  readonly subgraphConnections: number;
  /** Automatic persisted queries (stored in Redis when configured). */
  readonly persistedQueries: boolean;
  /** The most bytes of registered documents kept in each gateway process, and in Redis for the deployment. */
  readonly persistedQueryBytes: number;
  /** Memory for planned queries and for parsed and validated documents, each. */
  readonly planCacheMiB: number;
  /** Gateway processes sharing the port (Node cluster). */
  readonly workers: number;
}

/**
 * Every variable loadConfig reads: its reader, its default, what it does and its section of docs/configuration.md,
 * which `npm run docs` generates from these declarations (and from the few read elsewhere: scripts/configuration-docs.ts).
 * A new setting is one more line here; its reader's fallback is its documented default.
 */
export const appSettings = {
  NODE_ENV: setting(env.verbatim(), {
    group: 'mode',
    accepts: '`development`, `test`, or anything else (production)',
    default: 'production (`npm start`, `npm run dev`, `npm run token`, `npm run rewards:expire` and the tests set `development` or `test`)',
    description:
      'Only `development` and `test` use the public development secrets, serve Apollo Sandbox, GraphiQL, demo tokens (`POST /dev/token`) and introspection, and leave `/metrics` open. Anything else (`staging`, `prod`, unset...) is production: real secrets are required and each of those is off.',
  }),
  LOG_LEVEL: setting(env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), {
    group: 'observability',
    default: '`info`; `silent` under `NODE_ENV=test`',
    description: 'The least severe log lines written. Logs are JSON lines on stdout, or pretty-printed when stdout is a terminal.',
  }),
  HOST: setting(env.text('127.0.0.1'), { group: 'ports', description: 'The address every service listens on: loopback unless told otherwise (containers set `0.0.0.0`).' }),
  GATEWAY_PORT: setting(env.port(4000), { group: 'ports', description: 'The gateway: GraphQL, subscriptions, the storefront, GraphiQL.' }),
  CATALOG_PORT: setting(env.port(4001), { group: 'ports', description: 'The Catalog subgraph and its REST read API.' }),
  ORDERS_PORT: setting(env.port(4002), { group: 'ports', description: 'The Orders subgraph.' }),
  REWARDS_PORT: setting(env.port(4003), { group: 'ports', description: 'The Rewards subgraph.' }),
  PAYMENTS_PORT: setting(env.port(4004), { group: 'ports', description: "The Payments subgraph, Stripe's webhooks (`/webhooks/stripe`) and its internal capture command." }),
  SHIPPING_PORT: setting(env.port(4005), { group: 'ports', description: 'The Shipping subgraph and its internal commands.' }),
  NOTIFICATIONS_PORT: setting(env.port(4006), { group: 'ports', description: "The Notifications worker's `/health/live`, `/health/ready` and `/metrics` (it serves no API)." }),
  CATALOG_URL: setting(env.url(['http', 'https']), { group: 'ports', default: '`http://127.0.0.1:<CATALOG_PORT>/graphql`', description: 'Where the gateway reaches the Catalog subgraph.' }),
  ORDERS_URL: setting(env.url(['http', 'https']), {
    group: 'ports',
    default: '`http://127.0.0.1:<ORDERS_PORT>/graphql`',
    description: "Where the gateway reaches the Orders subgraph; Payments, Notifications and Shipping read orders from Orders' internal API at the same URL without `/graphql`.",
  }),
  REWARDS_URL: setting(env.url(['http', 'https']), { group: 'ports', default: '`http://127.0.0.1:<REWARDS_PORT>/graphql`', description: 'Where the gateway reaches the Rewards subgraph.' }),
  PAYMENTS_URL: setting(env.url(['http', 'https']), {
    group: 'ports',
    default: '`http://127.0.0.1:<PAYMENTS_PORT>/graphql`',
    description: 'Where the gateway reaches the Payments subgraph; Orders sends its capture command to the same URL without `/graphql`.',
  }),
  SHIPPING_URL: setting(env.url(['http', 'https']), {
    group: 'ports',
    default: '`http://127.0.0.1:<SHIPPING_PORT>/graphql`',
    description: 'Where the gateway reaches the Shipping subgraph; Orders sends its internal commands to the same URL without `/graphql`.',
  }),
  CATALOG_REST_URL: setting(env.url(['http', 'https']), { group: 'ports', default: '`http://127.0.0.1:<CATALOG_PORT>`', description: "Where Orders reads products (Catalog's REST API) and holds stock." }),
  DYNAMODB_ENDPOINT: setting(env.url(['http', 'https']), {
    group: 'data',
    default: 'AWS; `npm start` runs DynamoDB Local and sets it',
    description: 'A DynamoDB endpoint to use instead of AWS, e.g. `http://localhost:8000`.',
  }),
  AWS_REGION: setting(env.text('us-east-1'), { group: 'data', description: 'The region of the AWS clients (DynamoDB, EventBridge, Secrets Manager).' }),
  TABLE_PREFIX: setting(env.text('ecommerce-'), { group: 'data', description: "The prefix of this deployment's table names, Redis keys, streams and channels." }),
  CATALOG_TABLE: setting(env.text(), { group: 'data', default: '`<TABLE_PREFIX>catalog`', description: "Catalog's table." }),
  ORDERS_TABLE: setting(env.text(), { group: 'data', default: '`<TABLE_PREFIX>orders`', description: "Orders' table." }),
  REWARDS_TABLE: setting(env.text(), { group: 'data', default: '`<TABLE_PREFIX>rewards`', description: "Rewards' table." }),
  PAYMENTS_TABLE: setting(env.text(), { group: 'data', default: '`<TABLE_PREFIX>payments`', description: "Payments' table." }),
  SHIPPING_TABLE: setting(env.text(), { group: 'data', default: '`<TABLE_PREFIX>shipping`', description: "Shipping's table." }),
  NOTIFICATIONS_TABLE: setting(env.text(), { group: 'data', default: '`<TABLE_PREFIX>notifications`', description: "Notifications' delivery records (one per event and recipient)." }),
  REDIS_URL: setting(env.url(['redis', 'rediss']), {
    group: 'data',
    default: 'none: an in-memory cache and in-process events (one process only); `npm start` runs `redis-server` when it is on PATH',
    description:
      'The shared HTTP and response caches, Redis Streams events, the subscription fan-out and the shared rate limits. `redis://user:password@host:port` (or `redis://:password@...`) authenticates every connection.',
  }),
  EVENT_BUS: setting(env.oneOf(['memory', 'redis', 'eventbridge']), {
    group: 'events',
    default: '`redis` when `REDIS_URL` is set, else `memory`',
    description: 'The transport of domain events: in-process, Redis Streams (needs `REDIS_URL`), or Amazon EventBridge.',
  }),
  EVENT_BUS_NAME: setting(env.text('ecommerce'), { group: 'events', description: 'The EventBridge bus name.' }),
  JWT_SECRET: setting(env.text(), {
    group: 'identity',
    default: 'a development value in development and test; required elsewhere unless `JWT_JWKS_URL` is set',
    description: 'The HS256 key client tokens are verified with (and `npm run token` signs with).',
  }),
  JWT_JWKS_URL: setting(env.url(['http', 'https']), {
    group: 'identity',
    default: 'none: tokens are verified with `JWT_SECRET`',
    description: "Verify client tokens against an identity provider's JWKS instead; production then needs `JWT_ISSUER` and `JWT_AUDIENCE`.",
  }),
  JWT_ISSUER: setting(env.text(), { group: 'identity', default: 'none: any issuer', description: 'The issuer (`iss`) tokens must name; required in production with `JWT_JWKS_URL`.' }),
  JWT_AUDIENCE: setting(env.text(), { group: 'identity', default: 'none: any audience', description: 'The audience (`aud`) tokens must name; required in production with `JWT_JWKS_URL`.' }),
  GATEWAY_SIGNING_SECRET: setting(env.text(), {
    group: 'identity',
    default: 'a development value in development and test; required elsewhere',
    description: 'The HMAC key of the identity the gateway forwards to subgraphs; internal commands between services use keys derived from it.',
  }),
  SIGNED_REQUEST_WINDOW_SECONDS: setting(env.positiveInt(5), { group: 'identity', description: "How far a signed request's timestamp may be from the receiver's clock, either way." }),
  EVENT_SIGNING_SECRET: setting(env.text(), {
    group: 'identity',
    default: 'a development value in development and test; required elsewhere',
    description: 'The HMAC key of event envelopes: signed on publish, verified on receipt.',
  }),
  METRICS_PORT: setting(env.optionalPort(), {
    group: 'observability',
    default: "none: `/metrics` on each service's own port",
    description: 'Serve `/metrics` on this separate port instead (one service per process: containers, `run-service.ts`).',
  }),
  METRICS_TOKEN: setting(env.text(), {
    group: 'observability',
    default: 'none: `/metrics` open in development, not served on the service port elsewhere',
    description: '`/metrics` only for `Authorization: Bearer <token>` (32+ characters outside development).',
  }),
  REQUEST_TIMEOUT_MS: setting(env.positiveInt(10_000), {
    group: 'timeouts',
    description: 'The deadline of every request a service serves; beyond it the answer is `SERVICE_UNAVAILABLE` (HTTP 503) and the work is abandoned.',
  }),
  DYNAMODB_CONNECTION_TIMEOUT_MS: setting(env.positiveInt(1000), { group: 'timeouts', description: 'The DynamoDB client: time to connect.' }),
  DYNAMODB_REQUEST_TIMEOUT_MS: setting(env.positiveInt(3000), { group: 'timeouts', description: 'The DynamoDB client: time for one attempt to be answered.' }),
  IDEMPOTENCY_KEY_TTL_SECONDS: setting(env.positiveInt(86_400), { group: 'orders', description: 'How long a `placeOrder` idempotency key names its order (DynamoDB TTL; then it is free again).' }),
  SUBGRAPH_AUTH: setting(env.oneOf(['signed-identity', 'iam'], 'signed-identity'), {
    group: 'identity',
    description: '`iam`: the gateway also signs its subgraph calls with SigV4 (subgraphs on Lambda function URLs with IAM auth).',
  }),
  DATA_DIR: setting(env.text('.data'), { group: 'development', description: 'Where `npm start` keeps the data of DynamoDB Local and Redis (delete it to start afresh).' }),
  CATALOG_TIMEOUT_MS: setting(env.positiveInt(2000), { group: 'timeouts', description: "Orders' Catalog client: the budget of one lookup." }),
  CATALOG_STALE_IF_ERROR_SECONDS: setting(env.positiveInt(600), {
    group: 'caches',
    description: 'How long past staleness a cached product still serves Orders while Catalog fails (RFC 5861 `stale-if-error`).',
  }),
  CATALOG_BREAKER_HALF_OPEN_MS: setting(env.positiveInt(30_000), { group: 'timeouts', description: "Orders' Catalog client: how long its open circuit breaker waits before trying again." }),
  CATALOG_BREAKER_THRESHOLD: setting(env.positiveInt(5), { group: 'timeouts', description: "Orders' Catalog client: consecutive failures that open its circuit breaker." }),
  SUBSCRIPTIONS_PER_CONNECTION: setting(env.positiveInt(20), { group: 'limits', description: 'Subscriptions one WebSocket connection may hold (`BAD_USER_INPUT` past it).' }),
  SUBSCRIPTIONS_KEEPALIVE_MS: setting(env.positiveInt(12_000), { group: 'limits', description: 'How often the gateway pings each WebSocket connection.' }),
  SUBSCRIPTIONS_HEARTBEAT_MS: setting(env.positiveInt(5_000), {
    group: 'limits',
    description: "How often the gateway sends an empty part on a multipart subscription with nothing else to send (Apollo's protocol), so proxies do not close an idle stream.",
  }),
  SUBSCRIPTIONS_PER_CALLER: setting(env.positiveInt(20), {
    group: 'limits',
    description: 'Subscriptions one caller (JWT `sub`) may hold at once per gateway instance, over graphql-ws and multipart together (`RATE_LIMITED` past it).',
  }),
  SUBSCRIPTIONS_PER_ADDRESS: setting(env.positiveInt(100), { group: 'limits', description: 'Subscriptions one client address may hold at once per gateway instance, whoever its callers are.' }),
  ...edgeEnv,
  CORS_ORIGINS: setting(env.text(), {
    group: 'identity',
    default: '`*` in development and test, none elsewhere',
    description:
      'Origins allowed to call the gateway from a browser: `*` or a comma list (`https://shop.example.com,http://localhost:5173`); none sends no CORS headers (same-origin pages only).',
  }),
  DYNAMODB_PORT: setting(env.optionalPort(), {
    group: 'development',
    default: '8000, or a free port when it is taken (said in the log and the banner)',
    description: 'Where `npm start` runs DynamoDB Local. Set and taken, start-up stops with a message naming the variable.',
  }),
  REDIS_PORT: setting(env.optionalPort(), {
    group: 'development',
    default: '6379, or a free port when it is taken (said in the log and the banner)',
    description: 'Where `npm start` runs redis-server. Set and taken, start-up stops with a message naming the variable.',
  }),
  STOCK_HOLD_TTL_SECONDS: setting(env.positiveInt(900), { group: 'orders', description: 'How long stock held for an order that was never written (Orders died mid-placement) stays held.' }),
  STOCK_HOLD_SWEEP_INTERVAL_MS: setting(env.positiveInt(30_000), { group: 'orders', description: 'How often the Catalog node releases expired unclaimed holds (on AWS: a schedule, every minute).' }),
  STOCK_HOLD_TIMEOUT_MS: setting(env.positiveInt(5_000), { group: 'timeouts', description: "Orders' budget for Catalog's stock-hold command (placing fails with `CATALOG_UNAVAILABLE` beyond it)." }),
  GATEWAY_DEDUPE: setting(env.boolean(true), {
    group: 'caches',
    description: 'Identical queries of the same caller in flight together run once, and so do identical subgraph fetches.',
  }),
  GATEWAY_RESPONSE_CACHE: setting(env.boolean(true), {
    group: 'caches',
    description: "Cache whole responses and `Product` entities by the subgraphs' `@cacheControl` hints (shared in Redis when `REDIS_URL` is set).",
  }),
  GATEWAY_RESPONSE_CACHE_ENTRIES: setting(env.positiveInt(10_000), { group: 'caches', description: 'Entries each gateway process keeps in memory in front of Redis.' }),
  GATEWAY_SUBGRAPH_CONNECTIONS: setting(env.positiveInt(32), { group: 'caches', description: 'Connections each gateway process opens to one subgraph, at most (an undici keep-alive pool).' }),
  GATEWAY_APQ: setting(env.boolean(true), { group: 'caches', description: 'Automatic persisted queries (shared in Redis when `REDIS_URL` is set).' }),
  GATEWAY_APQ_MAX_BYTES: setting(env.positiveInt(16 * 1024 * 1024), {
    group: 'caches',
    description: 'The most bytes of registered documents kept in each gateway process, and in Redis for the deployment (16 MiB; least recently used forgotten first).',
  }),
  GATEWAY_PLAN_CACHE_MIB: setting(env.positiveInt(50), { group: 'caches', description: 'Memory for query plans, and for parsed and validated documents, each.' }),
  GATEWAY_WORKERS: setting(env.positiveInt(1), {
    group: 'caches',
    description: 'Gateway processes sharing the port (Node cluster; `run-service.ts gateway`). More than 1 needs `REDIS_URL`.',
  }),
  ...stripeEnv,
  PAYMENT_TIMEOUT_SECONDS: setting(env.positiveInt(900), {
    group: 'orders',
    description: "How long a placed order waits for its payment (the order's `paymentDueAt`); still `PENDING` past it, it is cancelled (cause `payment-timeout`) and its stock released.",
  }),
  PAYMENT_DEADLINE_SWEEP_INTERVAL_MS: setting(env.positiveInt(30_000), {
    group: 'orders',
    description: 'How often the Orders node cancels the orders past their payment deadline (on AWS: a schedule, every minute).',
  }),
  MAX_PENDING_ORDERS_PER_CUSTOMER: setting(env.positiveInt(5), {
    group: 'orders',
    description: 'Unpaid (`PENDING`) orders one customer may have at once; one more is `LIMIT_EXCEEDED` before any stock is held. Admins are not capped.',
  }),
  MAX_HELD_UNITS_PER_CUSTOMER: setting(env.positiveInt(100), {
    group: 'orders',
    description: "Units one customer's unpaid orders may hold in all; past it placing is `LIMIT_EXCEEDED`. Admins are not capped.",
  }),
  INTERNAL_API_TIMEOUT_MS: setting(env.positiveInt(5_000), {
    group: 'timeouts',
    description: 'The budget of one call between contexts (Payments, Notifications and Shipping reading an order; Orders capturing a payment, shipping, delivering).',
  }),
  INTERNAL_API_BREAKER_THRESHOLD: setting(env.positiveInt(5), { group: 'timeouts', description: 'Consecutive failures that open the circuit breaker in front of another context\'s internal API.' }),
  INTERNAL_API_BREAKER_HALF_OPEN_MS: setting(env.positiveInt(30_000), { group: 'timeouts', description: 'How long an open breaker in front of an internal API waits before trying again.' }),
  ...mailEnv,
} satisfies Settings;

const schema = settingsSchema(appSettings);

export interface LoadConfigOptions {
  /**
   * Whether this process verifies client tokens. Subgraphs only verify the gateway's signature, so a
   * subgraph-only process (a Lambda function) needs no JWT secret and is not given one (least privilege).
   */
  readonly verifiesTokens?: boolean;
}

/**
 * Reads and validates the whole configuration once, at start-up, from the variables of docs/architecture.md §5.
 * Composition roots receive the result; nothing below them reads `process.env`.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env, options: LoadConfigOptions = {}): AppConfig {
  const verifiesTokens = options.verifiesTokens ?? true;
  const raw = parseEnv(schema, source);
  const production = !usesDevelopmentDefaults(raw.NODE_ENV);
  const nodeEnv = raw.NODE_ENV ?? 'production';
  const eventBusKind: EventBusKind = raw.EVENT_BUS ?? (raw.REDIS_URL ? 'redis' : 'memory');

  const problems: string[] = [];
  if (eventBusKind === 'redis' && !raw.REDIS_URL) problems.push('EVENT_BUS: "redis" needs REDIS_URL to be set');
  if (raw.GATEWAY_WORKERS > 1 && !raw.REDIS_URL) {
    problems.push(`GATEWAY_WORKERS: ${raw.GATEWAY_WORKERS} workers share subscriptions and cache invalidations through Redis; set REDIS_URL`);
  }
  if (production) {
    const checks: { name: string; value: string | undefined; alternative?: string }[] = [
      { name: 'GATEWAY_SIGNING_SECRET', value: raw.GATEWAY_SIGNING_SECRET },
      { name: 'EVENT_SIGNING_SECRET', value: raw.EVENT_SIGNING_SECRET },
    ];
    // A process that verifies no tokens (a subgraph Lambda) is not given the JWT secret; one given it anyway must be strong.
    if ((verifiesTokens && !raw.JWT_JWKS_URL) || raw.JWT_SECRET !== undefined) {
      checks.unshift({ name: 'JWT_SECRET', value: raw.JWT_SECRET, alternative: 'JWT_JWKS_URL' });
    }
    if (raw.METRICS_TOKEN !== undefined) checks.push({ name: 'METRICS_TOKEN', value: raw.METRICS_TOKEN });
    for (const { name, value, alternative } of checks) {
      const problem = secretProblem(name, value, raw.NODE_ENV, alternative);
      if (problem) problems.push(problem);
    }
    if (verifiesTokens && raw.JWT_JWKS_URL) {
      // Without them any token the identity provider signs, for any application, would be accepted (RFC 8725 3.8, 3.9).
      if (!raw.JWT_ISSUER) problems.push('JWT_ISSUER: is required in production with JWT_JWKS_URL (the issuer tokens must name)');
      if (!raw.JWT_AUDIENCE) problems.push('JWT_AUDIENCE: is required in production with JWT_JWKS_URL (the audience tokens must name)');
    }
  }
  const corsOrigins = parseCorsOrigins(raw.CORS_ORIGINS, nodeEnv === 'development' || nodeEnv === 'test', problems);
  const stripe = stripeSettings(raw, production, problems);
  const mail = mailSettings(raw, { production, gatewayPort: raw.GATEWAY_PORT }, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const localUrl = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;
  const prefix = raw.TABLE_PREFIX;
  return {
    nodeEnv,
    production,
    logLevel: raw.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    // Loopback unless told otherwise: containers set HOST=0.0.0.0 themselves (Dockerfile, docker-compose.yml).
    host: raw.HOST,
    ports: {
      gateway: raw.GATEWAY_PORT,
      catalog: raw.CATALOG_PORT,
      orders: raw.ORDERS_PORT,
      rewards: raw.REWARDS_PORT,
      payments: raw.PAYMENTS_PORT,
      shipping: raw.SHIPPING_PORT,
      notifications: raw.NOTIFICATIONS_PORT,
    },
    urls: {
      catalogGraphql: raw.CATALOG_URL ?? localUrl(raw.CATALOG_PORT, '/graphql'),
      ordersGraphql: raw.ORDERS_URL ?? localUrl(raw.ORDERS_PORT, '/graphql'),
      rewardsGraphql: raw.REWARDS_URL ?? localUrl(raw.REWARDS_PORT, '/graphql'),
      paymentsGraphql: raw.PAYMENTS_URL ?? localUrl(raw.PAYMENTS_PORT, '/graphql'),
      shippingGraphql: raw.SHIPPING_URL ?? localUrl(raw.SHIPPING_PORT, '/graphql'),
      shipping: serviceBase(raw.SHIPPING_URL ?? localUrl(raw.SHIPPING_PORT, '/graphql')),
      catalogRest: raw.CATALOG_REST_URL ?? localUrl(raw.CATALOG_PORT, ''),
      orders: serviceBase(raw.ORDERS_URL ?? localUrl(raw.ORDERS_PORT, '/graphql')),
      payments: serviceBase(raw.PAYMENTS_URL ?? localUrl(raw.PAYMENTS_PORT, '/graphql')),
    },
    dynamodb: {
      endpoint: raw.DYNAMODB_ENDPOINT,
      region: raw.AWS_REGION,
      tables: {
        catalog: raw.CATALOG_TABLE ?? `${prefix}catalog`,
        orders: raw.ORDERS_TABLE ?? `${prefix}orders`,
        rewards: raw.REWARDS_TABLE ?? `${prefix}rewards`,
        payments: raw.PAYMENTS_TABLE ?? `${prefix}payments`,
        shipping: raw.SHIPPING_TABLE ?? `${prefix}shipping`,
        notifications: raw.NOTIFICATIONS_TABLE ?? `${prefix}notifications`,
      },
    },
    redisUrl: raw.REDIS_URL,
    eventBus: { kind: eventBusKind, name: raw.EVENT_BUS_NAME },
    jwt: {
      secret: raw.JWT_SECRET ?? (raw.JWT_JWKS_URL || production ? undefined : DEV_JWT_SECRET),
      jwksUrl: raw.JWT_JWKS_URL,
      issuer: raw.JWT_ISSUER,
      audience: raw.JWT_AUDIENCE,
      maxTtlSeconds: raw.JWT_MAX_TTL_SECONDS,
    },
    gatewaySigningSecret: raw.GATEWAY_SIGNING_SECRET ?? DEV_SIGNING_SECRET,
    signedRequestWindowSeconds: raw.SIGNED_REQUEST_WINDOW_SECONDS,
    eventSigningSecret: raw.EVENT_SIGNING_SECRET ?? DEV_EVENT_SIGNING_SECRET,
    metrics: {
      port: raw.METRICS_PORT,
      token: raw.METRICS_TOKEN,
      // Development keeps the convenient default (open on each service's port); elsewhere only with a token.
      onServicePort: raw.METRICS_PORT === undefined && (!production || raw.METRICS_TOKEN !== undefined),
    },
    timeouts: {
      requestMs: raw.REQUEST_TIMEOUT_MS,
      dynamodbConnectionMs: raw.DYNAMODB_CONNECTION_TIMEOUT_MS,
      dynamodbRequestMs: raw.DYNAMODB_REQUEST_TIMEOUT_MS,
    },
    idempotencyKeyTtlSeconds: raw.IDEMPOTENCY_KEY_TTL_SECONDS,
    subgraphAuth: raw.SUBGRAPH_AUTH,
    dataDir: raw.DATA_DIR,
    namespace: prefix,
    catalogAcl: {
      staleIfErrorSeconds: raw.CATALOG_STALE_IF_ERROR_SECONDS,
      timeoutMs: raw.CATALOG_TIMEOUT_MS,
      breakerHalfOpenAfterMs: raw.CATALOG_BREAKER_HALF_OPEN_MS,
      breakerThreshold: raw.CATALOG_BREAKER_THRESHOLD,
    },
    subscriptions: {
      maxPerConnection: raw.SUBSCRIPTIONS_PER_CONNECTION,
      keepAliveMs: raw.SUBSCRIPTIONS_KEEPALIVE_MS,
      heartbeatMs: raw.SUBSCRIPTIONS_HEARTBEAT_MS,
      maxPerCaller: raw.SUBSCRIPTIONS_PER_CALLER,
      maxPerAddress: raw.SUBSCRIPTIONS_PER_ADDRESS,
    },
    queryLimits: queryLimitSettings(raw),
    edge: edgeSettings(raw),
    corsOrigins,
    localPorts: { dynamodb: raw.DYNAMODB_PORT, redis: raw.REDIS_PORT, stripeEmulator: raw.STRIPE_EMULATOR_PORT },
    stockHolds: { ttlSeconds: raw.STOCK_HOLD_TTL_SECONDS, sweepIntervalMs: raw.STOCK_HOLD_SWEEP_INTERVAL_MS, timeoutMs: raw.STOCK_HOLD_TIMEOUT_MS },
    gatewayPerformance: {
      dedupe: raw.GATEWAY_DEDUPE,
      responseCache: raw.GATEWAY_RESPONSE_CACHE,
      responseCacheEntries: raw.GATEWAY_RESPONSE_CACHE_ENTRIES,
      subgraphConnections: raw.GATEWAY_SUBGRAPH_CONNECTIONS,
      persistedQueries: raw.GATEWAY_APQ,
      persistedQueryBytes: raw.GATEWAY_APQ_MAX_BYTES,
      planCacheMiB: raw.GATEWAY_PLAN_CACHE_MIB,
      workers: raw.GATEWAY_WORKERS,
    },
    stripe,
    payments: { timeoutSeconds: raw.PAYMENT_TIMEOUT_SECONDS, deadlineSweepIntervalMs: raw.PAYMENT_DEADLINE_SWEEP_INTERVAL_MS },
    internalApi: {
      timeoutMs: raw.INTERNAL_API_TIMEOUT_MS,
      breakerThreshold: raw.INTERNAL_API_BREAKER_THRESHOLD,
      breakerHalfOpenAfterMs: raw.INTERNAL_API_BREAKER_HALF_OPEN_MS,
    },
    customerLimits: { maxPendingOrders: raw.MAX_PENDING_ORDERS_PER_CUSTOMER, maxHeldUnits: raw.MAX_HELD_UNITS_PER_CUSTOMER },
    mail,
  };
}

/** A subgraph's base URL from its GraphQL URL: the same origin and path prefix, without the trailing /graphql. */
export function serviceBase(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/graphql\/?$/, '').replace(/\/+$/, '');
}

/**
 * CORS_ORIGINS: `*`, or a comma list of origins (scheme://host[:port], as browsers send them in `Origin`).
 * Unset: `*` in development and test (Sandbox, local front ends), none elsewhere: a deployment names its origins.
 */
function parseCorsOrigins(raw: string | undefined, development: boolean, problems: string[]): readonly string[] | '*' {
  if (raw === undefined) return development ? '*' : [];
  if (raw === '*') return '*';
  const origins: string[] = [];
  for (const entry of raw.split(',').map((value) => value.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
      problems.push(`CORS_ORIGINS: each entry must be * or an origin such as https://shop.example.com (scheme, host, optional port; no path), got ${JSON.stringify(entry)}`);
      continue;
    }
    origins.push(url.origin);
  }
  return origins;
}
