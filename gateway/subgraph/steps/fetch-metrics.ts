import { Histogram, type Registry } from 'prom-client';
import type { FetchStep } from '../fetch-step';
import { responseBody } from '../parse-response';

/**
 * `gateway_subgraph_fetch_duration_seconds{subgraph,outcome}`: each fetch the query planner sends to a subgraph,
 * timed around every other step (cache, dedupe, signing, the HTTP client): `success`, `error` (the subgraph answered
 * with GraphQL errors) or `failure` (no usable answer: network, HTTP status, timeout). Health checks and schema
 * loading are not fetches of a client operation and are not timed. One histogram per registry; a step per subgraph.
 */
export function fetchMetrics(registry: Registry): (subgraph: string) => FetchStep {
  const duration = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Fetches from the gateway to a subgraph, by subgraph and outcome (success, error, failure)',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (subgraph) => (next) => async (request) => {
    if (!request.incoming) return next(request);
    const end = duration.startTimer({ subgraph });
    try {
      const response = await next(request);
      // Parsed once here for the whole chain: the data source hands on this very body.
      end({ outcome: (responseBody(response, subgraph).errors?.length ?? 0) > 0 ? 'error' : 'success' });
      return response;
    } catch (error) {
      end({ outcome: 'failure' });
      throw error;
    }
  };
}
