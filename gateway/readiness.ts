import { HEALTH_CHECK_QUERY, type GraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { cachedHealthCheck, type HealthCheck } from '../lib/http';
import { redisHealthCheck } from '../lib/redis/health';

/** How long a readiness result is reused: probes then cost each subgraph one request per period. */
export const GATEWAY_READINESS_CACHE_MS = 5000;

export interface GatewayReadinessOptions {
  /** Whether the supergraph is composed and loaded (queries can be planned). */
  readonly supergraphLoaded: () => boolean;
  /** The data source of each subgraph, as the query planner uses it (same URL, signing and credentials). */
  readonly subgraphs: ReadonlyMap<string, GraphQLDataSource>;
  readonly redisUrl?: string | undefined;
  readonly cacheMs?: number;
}

/**
 * What the gateway needs to serve: its supergraph, every subgraph answering Apollo's health-check query
 * (`query __ApolloServiceHealthCheck__ { __typename }`, sent through the same data source as real fetches, so a
 * broken signature or credential shows here too), and Redis when subscriptions fan out through it.
 */
export function gatewayReadinessChecks(options: GatewayReadinessOptions): Record<string, HealthCheck> {
  const cacheMs = options.cacheMs ?? GATEWAY_READINESS_CACHE_MS;
  const checks: Record<string, HealthCheck> = {
    supergraph: async () => {
      if (!options.supergraphLoaded()) throw new Error('the supergraph is not loaded');
    },
  };
  for (const [name, dataSource] of options.subgraphs) {
    checks[`subgraph:${name}`] = cachedHealthCheck(async () => {
      const response = await dataSource.process({
        kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
        request: { query: HEALTH_CHECK_QUERY },
        context: {},
      });
      const [error] = response.errors ?? [];
      if (error) throw new Error(`subgraph ${name} answered the health check with an error: ${error.message}`);
    }, cacheMs);
  }
  if (options.redisUrl) checks['redis'] = cachedHealthCheck(redisHealthCheck(options.redisUrl), cacheMs);
  return checks;
}
