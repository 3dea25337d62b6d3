import proxyaddr from 'proxy-addr';
import * as z from 'zod';
import { env } from './env';
import { setting, type SettingValues, type Settings } from './setting';

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

const trustedProxies = env.custom(
  z
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
    }),
  'a comma list of IP addresses, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`',
);

/** The variables of the gateway's edge protections (docs/security.md), declared as lib/config/setting.ts describes. */
export const edgeEnv = {
  MAX_QUERY_DEPTH: setting(env.positiveInt(16), { group: 'limits', description: 'The deepest nesting of fields; root fields are at depth 1 (the standard introspection query measures 15).' }),
  MAX_QUERY_COST: setting(env.positiveInt(10_000), {
    group: 'limits',
    description: 'Fields selected, each multiplied by the page sizes (`first`) of the lists around it (the standard introspection query costs 229).',
  }),
  MAX_QUERY_ALIASES: setting(env.positiveInt(30), { group: 'limits', description: 'Aliased fields.' }),
  MAX_QUERY_TOKENS: setting(env.positiveInt(5000), { group: 'limits', description: 'Lexical tokens of a document: the parser stops there.' }),
  MAX_QUERY_LENGTH: setting(env.positiveInt(50_000), {
    group: 'limits',
    description: 'Characters of a document. With `MAX_QUERY_VARIABLES_BYTES` it also sizes the body limit: 1.25 x (both) + 16 KiB (99,364 bytes by default).',
  }),
  MAX_QUERY_DIRECTIVES: setting(env.positiveInt(50), { group: 'limits', description: 'Directives (`@skip`, `@include`...).' }),
  MAX_QUERY_ROOT_FIELDS: setting(env.positiveInt(20), { group: 'limits', description: 'Fields selected on the root type.' }),
  MAX_QUERY_DUPLICATE_FIELDS: setting(env.positiveInt(20), { group: 'limits', description: 'Fields repeating a response name already selected in the same selection set.' }),
  MAX_QUERY_VARIABLES: setting(env.positiveInt(50), { group: 'limits', description: "Variables an operation declares, and keys of the request's `variables`." }),
  MAX_QUERY_VARIABLES_BYTES: setting(env.positiveInt(16_384), { group: 'limits', description: "Size of the request's `variables`, in JSON characters." }),
  RATE_LIMIT: setting(env.oneOf(['on', 'off'], 'on'), {
    group: 'rateLimits',
    description: '`off` turns every rate limit off, the subscription caps per caller and per address included (tests, benchmarks).',
  }),
  RATE_LIMIT_POINTS: setting(env.positiveInt(1200), { group: 'rateLimits', description: 'Points a signed-in caller (by JWT `sub`) may spend per window.' }),
  RATE_LIMIT_ANONYMOUS_POINTS: setting(env.positiveInt(600), { group: 'rateLimits', description: 'Points an anonymous caller, or one presenting a bad token, may spend per window, per client address.' }),
  RATE_LIMIT_WINDOW_SECONDS: setting(env.positiveInt(60), { group: 'rateLimits', description: 'The window the points are counted over.' }),
  RATE_LIMIT_COST_PER_POINT: setting(env.positiveInt(100), { group: 'rateLimits', description: 'Query cost units one point buys: an operation spends max(1, ceil(cost / this)) points.' }),
  WS_CONNECTIONS_PER_IP: setting(env.positiveInt(50), { group: 'rateLimits', description: 'Open WebSocket connections per client address, per gateway instance (refused at the upgrade with 429).' }),
  WS_SUBSCRIBES_PER_MINUTE: setting(env.positiveInt(60), { group: 'rateLimits', description: '`subscribe` messages per minute on one WebSocket connection.' }),
  WS_SUBSCRIBES_PER_MINUTE_PER_IP: setting(env.positiveInt(600), { group: 'rateLimits', description: '`subscribe` messages per minute from one client address, over all its connections.' }),
  RATE_LIMIT_REDIS_TIMEOUT_MS: setting(env.positiveInt(250), {
    group: 'rateLimits',
    description: "The longest one rate-limit round trip to Redis may take; past it (or while Redis is away) the instance's in-memory insurance limiter decides.",
  }),
  TRUSTED_DOCUMENTS: setting(env.text(), {
    group: 'limits',
    default: 'none: any operation runs',
    description: "The path of a persisted query manifest: only its operations run, by hash or exact text ([security.md](security.md#trusted-documents)).",
  }),
  TRUSTED_PROXIES: setting(trustedProxies, {
    group: 'rateLimits',
    default: "none: the client address is the socket's peer",
    description: 'Proxies whose `X-Forwarded-For` is believed when they are the peer.',
  }),
  JWT_MAX_TTL_SECONDS: setting(env.positiveInt(86_400), { group: 'identity', description: 'The longest lifetime a client token may have (`exp - iat`, or `exp - now` without `iat`).' }),
} satisfies Settings;

type EdgeEnv = SettingValues<typeof edgeEnv>;

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
