import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { TokenVerifier } from '../../lib/auth';
import { connectedWithin, createRedisClient } from '../../lib/redis';
import type { ServiceRuntime } from '../../lib/runtime';
import { OperationGuard } from '../limits/operation-guard';
import { clientAddressResolver } from '../rate-limit/client-address';
import { createRateLimiter, type RateLimiter } from '../rate-limit/rate-limiter';
import { KnownDocuments } from '../trusted-documents/known-documents';
import { TrustedDocuments } from '../trusted-documents/manifest';
import type { PersistedDocumentStore } from '../trusted-documents/persisted-documents';
import { Edge } from './admission';

export interface GatewayEdge {
  readonly edge: Edge;
  readonly rateLimiter: RateLimiter;
  /** The client's address: the socket's peer, or X-Forwarded-For from a trusted proxy. */
  readonly addressOf: (request: IncomingMessage) => string;
  /** The rate limiter's Redis connection ready, or a warning after `timeoutMs`; see connectedWithin. */
  connected(timeoutMs: number): Promise<void>;
  /** Releases what the edge holds (its Redis connection). */
  close(): Promise<void>;
}

/**
 * The gateway's edge from configuration: the documents it runs (only a trusted manifest's under TRUSTED_DOCUMENTS,
 * which refuses to start on a bad manifest; else the storefront's manifest and automatic persisted queries), the
 * query limits, and the rate limiter with its own Redis connection.
 */
export function createGatewayEdge(
  runtime: ServiceRuntime,
  deps: {
    readonly verifyToken: TokenVerifier;
    readonly schema: () => GraphQLSchema;
    /** Automatic persisted queries (absent when GATEWAY_APQ is off). */
    readonly registeredDocuments: PersistedDocumentStore | undefined;
    /** The storefront's persisted query manifest, known by hash without being exclusive. */
    readonly storefrontManifest: string;
    readonly onRateLimited: (limit: string) => void;
    /** Told of every request the edge refuses, with how long it took (operation metrics count them as rejected). */
    readonly onRefused: (seconds: number) => void;
  },
): GatewayEdge {
  const { config, logger } = runtime;
  const documents = config.edge.trustedDocuments
    ? TrustedDocuments.load(config.edge.trustedDocuments)
    : KnownDocuments.withManifestAt(deps.storefrontManifest, deps.registeredDocuments);
  const guard = new OperationGuard(deps.schema, config.queryLimits);
  // Its own connection: commands fail at once while Redis is away (no offline queue) and time out, so the
  // in-memory insurance limiter takes over instead of requests waiting on Redis.
  const rateLimitRedis =
    config.edge.rateLimit.enabled && config.redisUrl
      ? createRedisClient(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: config.edge.rateLimit.redisTimeoutMs })
      : undefined;
  rateLimitRedis?.on('error', (error: unknown) => logger.debug({ err: error }, 'rate limiter Redis connection error'));
  const rateLimiter = createRateLimiter({
    settings: config.edge.rateLimit,
    redis: rateLimitRedis,
    keyPrefix: `${config.namespace}ratelimit:`,
    logger,
    onRejected: deps.onRateLimited,
  });
  return {
    edge: new Edge({ verifyToken: deps.verifyToken, guard, rateLimiter, documents, schema: deps.schema, onRefused: deps.onRefused }),
    rateLimiter,
    addressOf: clientAddressResolver(config.edge.trustedProxies),
    async connected(timeoutMs) {
      if (rateLimitRedis && !(await connectedWithin(rateLimitRedis, timeoutMs))) {
        logger.warn({ timeoutMs }, 'rate limiter Redis not connected yet: limits are counted in this process until it is');
      }
    },
    async close() {
      if (rateLimitRedis) await rateLimitRedis.quit().catch(() => rateLimitRedis.disconnect());
    },
  };
}
