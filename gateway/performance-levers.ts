import type { GraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type Redis from 'iovalkey';
// Not the lib/aws barrel: it carries the Secrets Manager and SSM clients, which the gateway process never uses here.
import { createSigV4Signer } from '../lib/aws/sigv4';
import { signedFetch } from '../lib/aws/signed-fetch';
import type { EventConsumer } from '../lib/events';
import { connectedWithin, createRedisClient } from '../lib/redis';
import type { ServiceRuntime } from '../lib/runtime';
import { productCacheInvalidation } from './cache/product-invalidation';
import { inflightOperationsPlugin } from './cache/inflight-operations-plugin';
import { responseCachePlugin } from './cache/response-cache-plugin';
import { TaggedCache, gatewayCachePrefix } from './cache/tagged-cache';
import type { GatewayContext } from './gateway-context';
import type { FetchStep } from './subgraph/fetch-step';
import { subgraphDataSource } from './subgraph/subgraph-data-source';
import { fetchSubgraphFetch, undiciSubgraphFetch, type FetchLike, type SubgraphFetch } from './subgraph/subgraph-fetch';
import { automaticPersistedQueries } from './trusted-documents/automatic-persisted-queries';
import type { PersistedDocumentStore } from './trusted-documents/persisted-documents';

/** The gateway's throughput levers, built from `config.gatewayPerformance` (each can be turned off alone). */
export interface GatewayLevers {
  /** The data source of one subgraph (gateway/subgraph/subgraph-data-source.ts), with its metrics step. */
  dataSource(name: string, url: string, metrics?: FetchStep): GraphQLDataSource<GatewayContext>;
  readonly plugins: readonly ApolloServerPlugin<GatewayContext>[];
  /** Automatic persisted queries, for the edge to resolve hashes with (absent when off). */
  readonly persistedQueries: PersistedDocumentStore | undefined;
  readonly planCacheMiB: number;
  /** Catalog events that invalidate the response cache; subscribe it on the event bus (absent without a cache). */
  readonly cacheInvalidation: EventConsumer | undefined;
  readonly cache: TaggedCache | undefined;
  /** Its Redis connections (cache, persisted queries) ready, or a warning after `timeoutMs`; see connectedWithin. */
  connected(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export function createGatewayLevers(runtime: ServiceRuntime): GatewayLevers {
  const { config, logger } = runtime;
  const levers = config.gatewayPerformance;
  const redisClients: Redis[] = [];
  // Cache and APQ reads must never wait for a Redis that is down: fail fast and count as a miss.
  const redis = (name: string, subscriber = false): Redis => {
    const client = createRedisClient(config.redisUrl!, {
      connectionName: name,
      ...(subscriber ? { enableAutoPipelining: false } : { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 }),
    });
    client.on('error', (error: unknown) => logger.debug({ err: error, connection: name }, 'gateway Redis connection error'));
    redisClients.push(client);
    return client;
  };
  const commands = config.redisUrl && (levers.responseCache || levers.persistedQueries) ? redis('gateway-cache') : undefined;

  const transport: { fetch: SubgraphFetch; close(): Promise<void> } =
    config.subgraphAuth === 'iam'
      ? // Function URLs with AWS_IAM auth: every request SigV4-signed over its final body.
        { fetch: fetchSubgraphFetch(signedFetch(createSigV4Signer({ region: config.dynamodb.region }), fetch as unknown as FetchLike)), close: async () => undefined }
      : undiciSubgraphFetch({ connections: levers.subgraphConnections });

  const cache = levers.responseCache
    ? new TaggedCache({
        maxEntries: levers.responseCacheEntries,
        logger,
        redis: commands ? { client: commands, subscriber: redis('gateway-cache-invalidations', true), prefix: gatewayCachePrefix(config) } : undefined,
      })
    : undefined;

  return {
    dataSource: (name, url, metrics) =>
      subgraphDataSource({
        name,
        url,
        transport: transport.fetch,
        signingSecret: config.gatewaySigningSecret,
        dedupe: levers.dedupe,
        cache,
        sharedFetchTimeoutMs: config.timeouts.requestMs,
        metrics,
      }),
    // A cached response first; else an identical query of the same caller already running.
    plugins: [...(cache ? [responseCachePlugin(cache)] : []), ...(levers.dedupe ? [inflightOperationsPlugin()] : [])],
    persistedQueries: levers.persistedQueries
      ? automaticPersistedQueries({ logger, maxBytes: levers.persistedQueryBytes, redis: commands ? { client: commands, prefix: `${config.namespace}` } : undefined })
      : undefined,
    planCacheMiB: levers.planCacheMiB,
    cacheInvalidation: cache ? productCacheInvalidation(cache, logger) : undefined,
    cache,
    async connected(timeoutMs) {
      const ready = await Promise.all(redisClients.map((client) => connectedWithin(client, timeoutMs)));
      if (ready.includes(false)) logger.warn({ timeoutMs }, 'gateway Redis not connected yet: cache and persisted queries stay in this process until it is');
    },
    async close() {
      cache?.close();
      await transport.close();
      await Promise.all(redisClients.map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}
