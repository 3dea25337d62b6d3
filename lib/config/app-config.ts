import * as z from 'zod';
import { edgeEnv, edgeSettings, queryLimitSettings, type EdgeSettings, type QueryLimitsSettings } from './edge-config';
import { ConfigError, env, parseEnv } from './env';
import { mailEnv, mailSettings, type MailSettings } from './mail-config';
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
  /** The gateway's throughput levers (README "Gateway performance"); each can be turned off to measure it alone. */
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

const schema = z.object({
  NODE_ENV: env.verbatim(),
  LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  HOST: env.text(),
  GATEWAY_PORT: env.port(4000),
  CATALOG_PORT: env.port(4001),
  ORDERS_PORT: env.port(4002),
  REWARDS_PORT: env.port(4003),
  PAYMENTS_PORT: env.port(4004),
  SHIPPING_PORT: env.port(4005),
  NOTIFICATIONS_PORT: env.port(4006),
  CATALOG_URL: env.url(['http', 'https']),
  ORDERS_URL: env.url(['http', 'https']),
  REWARDS_URL: env.url(['http', 'https']),
  PAYMENTS_URL: env.url(['http', 'https']),
  SHIPPING_URL: env.url(['http', 'https']),
  CATALOG_REST_URL: env.url(['http', 'https']),
  DYNAMODB_ENDPOINT: env.url(['http', 'https']),
  AWS_REGION: env.text(),
  TABLE_PREFIX: env.text(),
  CATALOG_TABLE: env.text(),
  ORDERS_TABLE: env.text(),
  REWARDS_TABLE: env.text(),
  PAYMENTS_TABLE: env.text(),
  SHIPPING_TABLE: env.text(),
  NOTIFICATIONS_TABLE: env.text(),
  REDIS_URL: env.url(['redis', 'rediss']),
  EVENT_BUS: env.oneOf(['memory', 'redis', 'eventbridge']),
  EVENT_BUS_NAME: env.text(),
  JWT_SECRET: env.text(),
  JWT_JWKS_URL: env.url(['http', 'https']),
  JWT_ISSUER: env.text(),
  JWT_AUDIENCE: env.text(),
  GATEWAY_SIGNING_SECRET: env.text(),
  SIGNED_REQUEST_WINDOW_SECONDS: env.positiveInt(5),
  EVENT_SIGNING_SECRET: env.text(),
  METRICS_PORT: env.optionalPort(),
  METRICS_TOKEN: env.text(),
  REQUEST_TIMEOUT_MS: env.positiveInt(10_000),
  DYNAMODB_CONNECTION_TIMEOUT_MS: env.positiveInt(1000),
  DYNAMODB_REQUEST_TIMEOUT_MS: env.positiveInt(3000),
  IDEMPOTENCY_KEY_TTL_SECONDS: env.positiveInt(86_400),
  SUBGRAPH_AUTH: env.oneOf(['signed-identity', 'iam']),
  DATA_DIR: env.text(),
  CATALOG_TIMEOUT_MS: env.positiveInt(2000),
  CATALOG_STALE_IF_ERROR_SECONDS: env.positiveInt(600),
  CATALOG_BREAKER_HALF_OPEN_MS: env.positiveInt(30_000),
  CATALOG_BREAKER_THRESHOLD: env.positiveInt(5),
  SUBSCRIPTIONS_PER_CONNECTION: env.positiveInt(20),
  SUBSCRIPTIONS_KEEPALIVE_MS: env.positiveInt(12_000),
  SUBSCRIPTIONS_PER_CALLER: env.positiveInt(20),
  SUBSCRIPTIONS_PER_ADDRESS: env.positiveInt(100),
  ...edgeEnv,
  CORS_ORIGINS: env.text(),
  DYNAMODB_PORT: env.optionalPort(),
  REDIS_PORT: env.optionalPort(),
  STOCK_HOLD_TTL_SECONDS: env.positiveInt(900),
  STOCK_HOLD_SWEEP_INTERVAL_MS: env.positiveInt(30_000),
  STOCK_HOLD_TIMEOUT_MS: env.positiveInt(5_000),
  GATEWAY_DEDUPE: env.boolean(true),
  GATEWAY_RESPONSE_CACHE: env.boolean(true),
  GATEWAY_RESPONSE_CACHE_ENTRIES: env.positiveInt(10_000),
  GATEWAY_SUBGRAPH_CONNECTIONS: env.positiveInt(32),
  GATEWAY_APQ: env.boolean(true),
  GATEWAY_APQ_MAX_BYTES: env.positiveInt(16 * 1024 * 1024),
  GATEWAY_PLAN_CACHE_MIB: env.positiveInt(50),
  GATEWAY_WORKERS: env.positiveInt(1),
  ...stripeEnv,
  PAYMENT_TIMEOUT_SECONDS: env.positiveInt(900),
  PAYMENT_DEADLINE_SWEEP_INTERVAL_MS: env.positiveInt(30_000),
  MAX_PENDING_ORDERS_PER_CUSTOMER: env.positiveInt(5),
  MAX_HELD_UNITS_PER_CUSTOMER: env.positiveInt(100),
  INTERNAL_API_TIMEOUT_MS: env.positiveInt(5_000),
  INTERNAL_API_BREAKER_THRESHOLD: env.positiveInt(5),
  INTERNAL_API_BREAKER_HALF_OPEN_MS: env.positiveInt(30_000),
  ...mailEnv,
});

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
  const prefix = raw.TABLE_PREFIX ?? 'ecommerce-';
  return {
    nodeEnv,
    production,
    logLevel: raw.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    // Loopback unless told otherwise: containers set HOST=0.0.0.0 themselves (Dockerfile, docker-compose.yml).
    host: raw.HOST ?? '127.0.0.1',
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
      region: raw.AWS_REGION ?? 'us-east-1',
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
    eventBus: { kind: eventBusKind, name: raw.EVENT_BUS_NAME ?? 'ecommerce' },
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
    subgraphAuth: raw.SUBGRAPH_AUTH ?? 'signed-identity',
    dataDir: raw.DATA_DIR ?? '.data',
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
