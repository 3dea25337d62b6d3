import * as z from 'zod';
import { ConfigError, env, parseEnv } from './env';

export const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production';
export const DEV_SIGNING_SECRET = 'dev-only-gateway-signing-secret-do-not-use-in-production';

export type EventBusKind = 'memory' | 'redis' | 'eventbridge';
/**
 * How the gateway proves itself to subgraphs, on top of the signed identity headers: nothing more when they sit
 * on a private network (local runs, compose), or SigV4 with its IAM role when subgraphs are Lambda function URLs
 * with AWS_IAM auth (infra/).
 */
export type SubgraphAuth = 'signed-identity' | 'iam';
export type ContextName = 'catalog' | 'orders' | 'rewards';

export interface AppConfig {
  readonly nodeEnv: string;
  readonly production: boolean;
  readonly logLevel: string;
  readonly host: string;
  readonly ports: { readonly gateway: number; readonly catalog: number; readonly orders: number; readonly rewards: number };
  /** Where the gateway and other contexts reach each subgraph. */
  readonly urls: {
    readonly catalogGraphql: string;
    readonly ordersGraphql: string;
    readonly rewardsGraphql: string;
    /** Catalog's cacheable REST read API, read by the Orders anti-corruption layer. */
    readonly catalogRest: string;
  };
  readonly dynamodb: {
    readonly endpoint: string | undefined;
    readonly region: string;
    readonly tables: Readonly<Record<ContextName, string>>;
  };
  readonly redisUrl: string | undefined;
  readonly eventBus: { readonly kind: EventBusKind; readonly name: string };
  readonly jwt: {
    readonly secret: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
  };
  readonly gatewaySigningSecret: string;
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
  readonly subscriptions: { readonly maxPerConnection: number; readonly keepAliveMs: number };
  readonly queryLimits: { readonly maxDepth: number; readonly maxCost: number };
  /** The gateway's throughput levers (README "Gateway performance"); each can be turned off to measure it alone. */
  readonly gatewayPerformance: GatewayPerformanceConfig;
}

export interface GatewayPerformanceConfig {
  /** Share one subgraph fetch between identical in-flight queries of the same caller. */
  readonly dedupe: boolean;
  /** Whole-response and entity caching by the subgraphs' cache hints (shared in Redis when configured). */
  readonly responseCache: boolean;
  /** Entries each gateway process keeps in memory in front of the shared cache. */
  readonly responseCacheEntries: number;
  /** `undici`: a keep-alive pool per subgraph; `default`: @apollo/gateway's own fetcher (make-fetch-happen). */
  readonly subgraphFetcher: 'undici' | 'default';
  /** Connections each gateway process opens at most to one subgraph. */
  readonly subgraphConnections: number;
  /** Automatic persisted queries (stored in Redis when configured). */
  readonly persistedQueries: boolean;
  /** Memory for planned queries and for parsed and validated documents, each. */
  readonly planCacheMiB: number;
  /** Serve POST/GET /graphql without Express, pino-http and AsyncLocalStorage. */
  readonly leanHttp: boolean;
  /** Gateway processes sharing the port (Node cluster). */
  readonly workers: number;
}

const schema = z.object({
  NODE_ENV: env.text(),
  LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  HOST: env.text(),
  GATEWAY_PORT: env.port(4000),
  CATALOG_PORT: env.port(4001),
  ORDERS_PORT: env.port(4002),
  REWARDS_PORT: env.port(4003),
  CATALOG_URL: env.url(['http', 'https']),
  ORDERS_URL: env.url(['http', 'https']),
  REWARDS_URL: env.url(['http', 'https']),
  CATALOG_REST_URL: env.url(['http', 'https']),
  DYNAMODB_ENDPOINT: env.url(['http', 'https']),
  AWS_REGION: env.text(),
  TABLE_PREFIX: env.text(),
  CATALOG_TABLE: env.text(),
  ORDERS_TABLE: env.text(),
  REWARDS_TABLE: env.text(),
  REDIS_URL: env.url(['redis', 'rediss']),
  EVENT_BUS: env.oneOf(['memory', 'redis', 'eventbridge']),
  EVENT_BUS_NAME: env.text(),
  JWT_SECRET: env.text(),
  JWT_JWKS_URL: env.url(['http', 'https']),
  JWT_ISSUER: env.text(),
  JWT_AUDIENCE: env.text(),
  GATEWAY_SIGNING_SECRET: env.text(),
  SUBGRAPH_AUTH: env.oneOf(['signed-identity', 'iam']),
  DATA_DIR: env.text(),
  CATALOG_TIMEOUT_MS: env.positiveInt(2000),
  CATALOG_STALE_IF_ERROR_SECONDS: env.positiveInt(600),
  CATALOG_BREAKER_HALF_OPEN_MS: env.positiveInt(30_000),
  CATALOG_BREAKER_THRESHOLD: env.positiveInt(5),
  SUBSCRIPTIONS_PER_CONNECTION: env.positiveInt(20),
  SUBSCRIPTIONS_KEEPALIVE_MS: env.positiveInt(12_000),
  MAX_QUERY_DEPTH: env.positiveInt(12),
  MAX_QUERY_COST: env.positiveInt(10_000),
  GATEWAY_DEDUPE: env.boolean(true),
  GATEWAY_RESPONSE_CACHE: env.boolean(true),
  GATEWAY_RESPONSE_CACHE_ENTRIES: env.positiveInt(10_000),
  GATEWAY_SUBGRAPH_FETCHER: env.oneOf(['undici', 'default']),
  GATEWAY_SUBGRAPH_CONNECTIONS: env.positiveInt(32),
  GATEWAY_APQ: env.boolean(true),
  GATEWAY_PLAN_CACHE_MIB: env.positiveInt(50),
  GATEWAY_LEAN_HTTP: env.boolean(true),
  GATEWAY_WORKERS: env.positiveInt(1),
});

export interface LoadConfigOptions {
  /**
   * Whether this process verifies client tokens. Subgraphs only verify the gateway's signature, so a
   * subgraph-only process (a Lambda function) needs no JWT secret and is not given one (least privilege).
   */
  readonly verifiesTokens?: boolean;
}

/**
 * Reads and validates the whole configuration once, at start-up, from the variables of DESIGN.md 5.
 * Composition roots receive the result; nothing below them reads `process.env`.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env, options: LoadConfigOptions = {}): AppConfig {
  const verifiesTokens = options.verifiesTokens ?? true;
  const raw = parseEnv(schema, source);
  const nodeEnv = raw.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const eventBusKind: EventBusKind = raw.EVENT_BUS ?? (raw.REDIS_URL ? 'redis' : 'memory');

  const problems: string[] = [];
  if (eventBusKind === 'redis' && !raw.REDIS_URL) problems.push('EVENT_BUS: "redis" needs REDIS_URL to be set');
  if (raw.GATEWAY_WORKERS > 1 && !raw.REDIS_URL) {
    problems.push(`GATEWAY_WORKERS: ${raw.GATEWAY_WORKERS} workers share subscriptions and cache invalidations through Redis; set REDIS_URL`);
  }
  if (production) {
    if (verifiesTokens && !raw.JWT_JWKS_URL && !raw.JWT_SECRET) {
      problems.push('JWT_SECRET: is required in production (or set JWT_JWKS_URL)');
    } else if (raw.JWT_SECRET && (raw.JWT_SECRET === DEV_JWT_SECRET || raw.JWT_SECRET.length < 32)) {
      problems.push('JWT_SECRET: must not be the development default and must be at least 32 characters in production');
    }
    if (!raw.GATEWAY_SIGNING_SECRET) {
      problems.push('GATEWAY_SIGNING_SECRET: is required in production');
    } else if (raw.GATEWAY_SIGNING_SECRET === DEV_SIGNING_SECRET || raw.GATEWAY_SIGNING_SECRET.length < 32) {
      problems.push('GATEWAY_SIGNING_SECRET: must not be the development default and must be at least 32 characters in production');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const localUrl = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;
  const prefix = raw.TABLE_PREFIX ?? 'ecommerce-';
  return {
    nodeEnv,
    production,
    logLevel: raw.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    host: raw.HOST ?? '0.0.0.0',
    ports: { gateway: raw.GATEWAY_PORT, catalog: raw.CATALOG_PORT, orders: raw.ORDERS_PORT, rewards: raw.REWARDS_PORT },
    urls: {
      catalogGraphql: raw.CATALOG_URL ?? localUrl(raw.CATALOG_PORT, '/graphql'),
      ordersGraphql: raw.ORDERS_URL ?? localUrl(raw.ORDERS_PORT, '/graphql'),
      rewardsGraphql: raw.REWARDS_URL ?? localUrl(raw.REWARDS_PORT, '/graphql'),
      catalogRest: raw.CATALOG_REST_URL ?? localUrl(raw.CATALOG_PORT, ''),
    },
    dynamodb: {
      endpoint: raw.DYNAMODB_ENDPOINT,
      region: raw.AWS_REGION ?? 'us-east-1',
      tables: {
        catalog: raw.CATALOG_TABLE ?? `${prefix}catalog`,
        orders: raw.ORDERS_TABLE ?? `${prefix}orders`,
        rewards: raw.REWARDS_TABLE ?? `${prefix}rewards`,
      },
    },
    redisUrl: raw.REDIS_URL,
    eventBus: { kind: eventBusKind, name: raw.EVENT_BUS_NAME ?? 'ecommerce' },
    jwt: {
      secret: raw.JWT_SECRET ?? (raw.JWT_JWKS_URL || production ? undefined : DEV_JWT_SECRET),
      jwksUrl: raw.JWT_JWKS_URL,
      issuer: raw.JWT_ISSUER,
      audience: raw.JWT_AUDIENCE,
    },
    gatewaySigningSecret: raw.GATEWAY_SIGNING_SECRET ?? DEV_SIGNING_SECRET,
    subgraphAuth: raw.SUBGRAPH_AUTH ?? 'signed-identity',
    dataDir: raw.DATA_DIR ?? '.data',
    namespace: prefix,
    catalogAcl: {
      staleIfErrorSeconds: raw.CATALOG_STALE_IF_ERROR_SECONDS,
      timeoutMs: raw.CATALOG_TIMEOUT_MS,
      breakerHalfOpenAfterMs: raw.CATALOG_BREAKER_HALF_OPEN_MS,
      breakerThreshold: raw.CATALOG_BREAKER_THRESHOLD,
    },
    subscriptions: { maxPerConnection: raw.SUBSCRIPTIONS_PER_CONNECTION, keepAliveMs: raw.SUBSCRIPTIONS_KEEPALIVE_MS },
    queryLimits: { maxDepth: raw.MAX_QUERY_DEPTH, maxCost: raw.MAX_QUERY_COST },
    gatewayPerformance: {
      dedupe: raw.GATEWAY_DEDUPE,
      responseCache: raw.GATEWAY_RESPONSE_CACHE,
      responseCacheEntries: raw.GATEWAY_RESPONSE_CACHE_ENTRIES,
      subgraphFetcher: raw.GATEWAY_SUBGRAPH_FETCHER ?? 'undici',
      subgraphConnections: raw.GATEWAY_SUBGRAPH_CONNECTIONS,
      persistedQueries: raw.GATEWAY_APQ,
      planCacheMiB: raw.GATEWAY_PLAN_CACHE_MIB,
      leanHttp: raw.GATEWAY_LEAN_HTTP,
      workers: raw.GATEWAY_WORKERS,
    },
  };
}
