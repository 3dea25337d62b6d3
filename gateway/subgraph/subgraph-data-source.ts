import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { requestCacheState } from '../cache/request-cache-state';
import type { TaggedCache } from '../cache/tagged-cache';
import type { GatewayContext } from '../gateway-context';
import { composeFetchSteps, type FetchStep, type IncomingRequest, type SubgraphFetcher, type SubgraphRequest } from './fetch-step';
import { responseBody } from './parse-response';
import { abortAtDeadline } from './steps/abort-at-deadline';
import { dedupe } from './steps/dedupe';
import { entityCache } from './steps/entity-cache';
import { readCacheHeaders } from './steps/read-cache-headers';
import { reportCachePolicy } from './steps/report-cache-policy';
import { signIdentity } from './steps/sign-identity';
import { sendOver, type SubgraphFetch } from './subgraph-fetch';

export interface SubgraphDataSourceOptions {
  readonly name: string;
  readonly url: string;
  /** The HTTP client underneath (undici's pool, or a SigV4-signing fetch). */
  readonly transport: SubgraphFetch;
  readonly signingSecret: string;
  /** GATEWAY_DEDUPE: share identical read-only fetches of the same caller while one is in flight. */
  readonly dedupe: boolean;
  /** The response cache (GATEWAY_RESPONSE_CACHE): entity caching, invalidation by writes; absent when off. */
  readonly cache: TaggedCache | undefined;
  /** REQUEST_TIMEOUT_MS: the budget of a fetch shared by several requests. */
  readonly sharedFetchTimeoutMs: number;
  /** The metrics step of this subgraph (gateway/subgraph/steps/fetch-metrics.ts). */
  readonly metrics?: FetchStep | undefined;
}

/**
 * The fetch steps of one subgraph, composed here and only here, outermost first:
 *
 *   metrics -> cache policy of the client request -> entity cache -> dedupe -> deadline -> cache headers -> signed
 *   identity -> HTTP
 *
 * Metrics time everything a fetch costs. The entity cache answers before anything is shared or sent, and sends only
 * the representations it lacks, through dedupe. Dedupe gives a shared fetch its own budget, which the deadline step
 * then applies; a fetch of one request alone is aborted by that request's deadline. The cache headers are read, and
 * the epoch stamped, as close to the wire as possible; the identity is signed over the exact bytes sent.
 */
export function subgraphFetcher(options: SubgraphDataSourceOptions): SubgraphFetcher {
  const steps: FetchStep[] = [
    ...(options.metrics ? [options.metrics] : []),
    reportCachePolicy(options.cache),
    ...(options.cache ? [entityCache(options.cache)] : []),
    ...(options.dedupe ? [dedupe(options.sharedFetchTimeoutMs)] : []),
    abortAtDeadline(),
    readCacheHeaders(options.cache),
    signIdentity(options.signingSecret),
  ];
  return composeFetchSteps(steps, sendOver(options.transport));
}

/** Subgraph documents are printed by the query planner; a mutation is never shared or cached. */
const MUTATION = /^\s*(mutation|subscription)\b/;

/**
 * The gateway's data source for one subgraph, as @apollo/gateway's query plan executor calls it: the fetch chain
 * above, and the subgraph's answer parsed once. Never shared or cached: mutations and every fetch of a mutation's
 * plan (a follow-up read must see the write).
 */
export function subgraphDataSource(options: SubgraphDataSourceOptions): GraphQLDataSource<GatewayContext> {
  const fetcher = subgraphFetcher(options);
  return {
    async process(processOptions: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
      const response = await fetcher(subgraphRequest(options, processOptions));
      return responseBody(response, options.name);
    },
  };
}

function subgraphRequest(options: SubgraphDataSourceOptions, processOptions: GraphQLDataSourceProcessOptions<GatewayContext>): SubgraphRequest {
  const { request } = processOptions;
  const query = request.query;
  if (!query) throw new Error('missing query for a subgraph fetch');
  const context = processOptions.context as Partial<GatewayContext>;
  // Health checks and schema loading carry no client request (and no caller).
  const incomingContext = 'incomingRequestContext' in processOptions ? processOptions.incomingRequestContext : undefined;
  const incoming: IncomingRequest | undefined = incomingContext
    ? { policy: incomingContext.overallCachePolicy as IncomingRequest['policy'], state: requestCacheState(processOptions.context) }
    : undefined;
  return {
    subgraph: options.name,
    url: options.url,
    query,
    variables: (request.variables ?? {}) as Record<string, unknown>,
    operationName: request.operationName,
    caller: context.caller ?? null,
    correlationId: context.correlationId,
    readOnly: incomingContext !== undefined && incomingContext.operation.operation === 'query' && !MUTATION.test(query),
    fresh: context.fresh === true,
    deadline: context.deadline,
    incoming,
  };
}
