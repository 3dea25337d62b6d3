import proxyaddr from 'proxy-addr';
import * as z from 'zod';
import { env } from './env';

/** The gateway's limits on one operation (gateway/limits), all counted with fragments expanded. */
export interface QueryLimitsSettings {
  /** Nesting of fields; root fields are at depth 1. */
  readonly maxDepth: number;
  /** Fields selected, each multiplied by the page sizes (`first`) of the lists around it. */
  readonly maxCost: number;
  /** Aliased fields. */
  readonly maxAliases: number;
  /** Lexical tokens of the document (graphql-js parser `maxTokens`). */
  readonly maxTokens: number;
  /** Characters of the document: one string literal is a single token, however long. */
  readonly maxQueryLength: number;
  /** Directives (`@skip`, `@include`...). */
  readonly maxDirectives: number;
  /** Fields selected on the root type. */
  readonly maxRootFields: number;
  /** Fields repeating a response name already selected in the same selection set (inline fragments merged). */
  readonly maxDuplicateFields: number;
  /** Variables declared by the operation, and keys of the request's `variables` object. */
  readonly maxVariables: number;
  /** Size of the request's `variables` (JSON characters, counted up to the limit). */
  readonly maxVariablesBytes: number;
}

/** Rate limits at the gateway (gateway/rate-limit); `enabled: false` turns every one of them off. */
export interface RateLimitSettings {
  readonly enabled: boolean;
  /** Points a signed-in caller (JWT `sub`) may spend per window. */
  readonly points: number;
  /** Points an anonymous caller, or one presenting a bad token, may spend per window, per client IP. */
  readonly anonymousPoints: number;
  readonly windowSeconds: number;
  /** Query cost units one point buys: an operation costs max(1, ceil(cost / costPerPoint)) points. */
  readonly costPerPoint: number;
  /** Open WebSocket connections per client IP, per gateway instance. */
  readonly wsConnectionsPerIp: number;
  /** `subscribe` messages per minute on one WebSocket connection. */
  readonly wsSubscribesPerConnection: number;
  /** `subscribe` messages per minute from one client IP, over all its connections. */
  readonly wsSubscribesPerIp: number;
  /** Bound on one Redis round trip of the limiter; past it this instance's in-memory insurance limiter decides. */
  readonly redisTimeoutMs: number;
}

export interface EdgeSettings {
  readonly rateLimit: RateLimitSettings;
  /** Persisted query manifest whose operations are the only ones the gateway runs (unset: any operation). */
  readonly trustedDocuments: string | undefined;
  /**
   * Addresses whose `X-Forwarded-For` is believed (proxy-addr syntax: IPs, CIDRs, `loopback`, `linklocal`,
   * `uniquelocal`); empty: the client IP is the socket's peer.
   */
  readonly trustedProxies: readonly string[];
}

const trustedProxies = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const entries = (raw ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    try {
      proxyaddr.compile(entries);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal (${(error as Error).message})` });
      return z.NEVER;
    }
    return entries;
  });

/** The variables of the gateway's edge protections (README, Security). */
export const edgeEnv = {
  MAX_QUERY_DEPTH: env.positiveInt(16),
  MAX_QUERY_COST: env.positiveInt(10_000),
  MAX_QUERY_ALIASES: env.positiveInt(30),
  MAX_QUERY_TOKENS: env.positiveInt(5000),
  MAX_QUERY_LENGTH: env.positiveInt(50_000),
  MAX_QUERY_DIRECTIVES: env.positiveInt(50),
  MAX_QUERY_ROOT_FIELDS: env.positiveInt(20),
  MAX_QUERY_DUPLICATE_FIELDS: env.positiveInt(20),
  MAX_QUERY_VARIABLES: env.positiveInt(50),
  MAX_QUERY_VARIABLES_BYTES: env.positiveInt(16_384),
  RATE_LIMIT: env.oneOf(['on', 'off']),
  RATE_LIMIT_POINTS: env.positiveInt(1200),
  RATE_LIMIT_ANONYMOUS_POINTS: env.positiveInt(600),
  RATE_LIMIT_WINDOW_SECONDS: env.positiveInt(60),
  RATE_LIMIT_COST_PER_POINT: env.positiveInt(100),
  WS_CONNECTIONS_PER_IP: env.positiveInt(50),
  WS_SUBSCRIBES_PER_MINUTE: env.positiveInt(60),
  WS_SUBSCRIBES_PER_MINUTE_PER_IP: env.positiveInt(600),
  RATE_LIMIT_REDIS_TIMEOUT_MS: env.positiveInt(250),
  TRUSTED_DOCUMENTS: env.text(),
  TRUSTED_PROXIES: trustedProxies,
  JWT_MAX_TTL_SECONDS: env.positiveInt(86_400),
};

type EdgeEnv = { readonly [K in keyof typeof edgeEnv]: z.output<(typeof edgeEnv)[K]> };

export function queryLimitSettings(raw: EdgeEnv): QueryLimitsSettings {
  return {
    maxDepth: raw.MAX_QUERY_DEPTH,
    maxCost: raw.MAX_QUERY_COST,
    maxAliases: raw.MAX_QUERY_ALIASES,
    maxTokens: raw.MAX_QUERY_TOKENS,
    maxQueryLength: raw.MAX_QUERY_LENGTH,
    maxDirectives: raw.MAX_QUERY_DIRECTIVES,
    maxRootFields: raw.MAX_QUERY_ROOT_FIELDS,
    maxDuplicateFields: raw.MAX_QUERY_DUPLICATE_FIELDS,
    maxVariables: raw.MAX_QUERY_VARIABLES,
    maxVariablesBytes: raw.MAX_QUERY_VARIABLES_BYTES,
  };
}

export function edgeSettings(raw: EdgeEnv): EdgeSettings {
  return {
    rateLimit: {
      enabled: raw.RATE_LIMIT !== 'off',
      points: raw.RATE_LIMIT_POINTS,
      anonymousPoints: raw.RATE_LIMIT_ANONYMOUS_POINTS,
      windowSeconds: raw.RATE_LIMIT_WINDOW_SECONDS,
      costPerPoint: raw.RATE_LIMIT_COST_PER_POINT,
      wsConnectionsPerIp: raw.WS_CONNECTIONS_PER_IP,
      wsSubscribesPerConnection: raw.WS_SUBSCRIBES_PER_MINUTE,
      wsSubscribesPerIp: raw.WS_SUBSCRIBES_PER_MINUTE_PER_IP,
      redisTimeoutMs: raw.RATE_LIMIT_REDIS_TIMEOUT_MS,
    },
    trustedDocuments: raw.TRUSTED_DOCUMENTS,
    trustedProxies: raw.TRUSTED_PROXIES,
  };
}
