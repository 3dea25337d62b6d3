import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { Histogram, type Registry } from 'prom-client';

export type SubgraphFetchTimer = (subgraph: string, dataSource: GraphQLDataSource) => GraphQLDataSource;

/**
 * `gateway_subgraph_fetch_duration_seconds{subgraph,outcome}`: each fetch the query planner sends to a subgraph,
 * timed around the data source, whatever it does inside (signing, the HTTP client, retries): `success`, `error`
 * (the subgraph answered with GraphQL errors) or `failure` (no usable answer: network, HTTP status, timeout).
 * Health checks and schema loading are not fetches of an operation and are not timed.
 */
export function subgraphFetchTimer(registry: Registry): SubgraphFetchTimer {
  const duration = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Fetches from the gateway to a subgraph, by subgraph and outcome (success, error, failure)',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (subgraph, dataSource) => ({
    async process(options: GraphQLDataSourceProcessOptions) {
      if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return dataSource.process(options);
      const end = duration.startTimer({ subgraph });
      try {
        const response = await dataSource.process(options);
        end({ outcome: (response.errors?.length ?? 0) > 0 ? 'error' : 'success' });
        return response;
      } catch (error) {
        end({ outcome: 'failure' });
        throw error;
      }
    },
  });
}
