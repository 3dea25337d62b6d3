import type { GraphQLFormattedError } from 'graphql';
import type { Caller } from '../../lib/auth';
import type { RequestDeadline } from '../../lib/logging';
import type { CacheHint } from '../cache/cache-hint';
import type { RequestCacheState } from '../cache/request-cache-state';

/**
 * The gateway's subgraph fetches as a chain of small steps, each wrapping the next like an undici interceptor (or a
 * Hive Gateway `onFetch` plugin): a step may change the request on its way down, answer it itself (the entity
 * cache, a shared fetch), or read and change the response on its way up. gateway/subgraph/subgraph-fetcher.ts composes
 * them, in one place and in one order.
 */

/** The client request a fetch is part of: its overall cache policy and what it read, for the response cache. */
export interface IncomingRequest {
  readonly policy: { restrict(hint: { maxAge?: number; scope?: string }): void };
  readonly state: RequestCacheState;
}

/** One fetch of one subgraph, as the steps pass it down. */
export interface SubgraphRequest {
  readonly subgraph: string;
  readonly url: string;
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly operationName: string | undefined;
  /** Who the subgraph is told is calling (signed onto the request). */
  readonly caller: Caller;
  readonly correlationId: string | undefined;
  /**
   * A read of a query's plan: it may be shared and cached. Never a mutation, nor any fetch of a mutation's plan (a
   * read that follows a write must see it).
   */
  readonly readOnly: boolean;
  /** A read that must begin now (GatewayContext.fresh): never shared with a fetch in flight, never served from a cache. */
  readonly fresh?: boolean | undefined;
  /** The client request's deadline; absent for the gateway's own fetches (health checks, subscription payloads). */
  readonly deadline: RequestDeadline | undefined;
  /** What aborts the HTTP request, once a step chose it (the deadline, or a shared fetch's own budget). */
  readonly signal?: AbortSignal | undefined;
  /** The client request whose cache policy the answer restricts; absent for the gateway's own fetches. */
  readonly incoming?: IncomingRequest | undefined;
  /** Headers steps add (the signed identity). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body exactly as it will be sent, once a step serialised it (the signature covers these bytes). */
  readonly body?: string;
}

/** A subgraph's GraphQL response body. */
export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** What comes back up the chain. */
export interface SubgraphResponse {
  readonly status: number;
  /** The body as received ('' when a step built the answer itself). */
  readonly text: string;
  readonly cacheControl?: string | undefined;
  readonly cacheTags?: string | undefined;
  /** The subgraph's cache hint and tags, read from its headers (gateway/subgraph/steps/read-cache-headers.ts). */
  readonly hint?: CacheHint | undefined;
  readonly tags?: readonly string[];
  /** The response cache's epoch when the fetch left; absent when nothing was fetched. */
  readonly epoch?: number | undefined;
  /** `fetched`: this request went to the subgraph; `deduped`: it shared one in flight; `cached`: no call at all. */
  readonly served: 'fetched' | 'deduped' | 'cached';
  /**
   * The parsed body, once a step parsed or built it. Each consumer of a shared fetch gets its own response object
   * and parses its own copy: the query plan executor merges later fetches into the objects it receives.
   */
  body?: GraphQLBody;
}

export type SubgraphFetcher = (request: SubgraphRequest) => Promise<SubgraphResponse>;

/** One step: given the rest of the chain, the fetcher that does this step's part around it. */
export type FetchStep = (next: SubgraphFetcher) => SubgraphFetcher;

/** `steps` around `terminal`, the first outermost. */
export function composeFetchSteps(steps: readonly FetchStep[], terminal: SubgraphFetcher): SubgraphFetcher {
  return steps.reduceRight<SubgraphFetcher>((next, step) => step(next), terminal);
}

/** The body a request sends: the one a step serialised (and signed), or its serialisation now. */
export function bodyOf(request: SubgraphRequest): string {
  return request.body ?? JSON.stringify({ query: request.query, variables: request.variables, ...(request.operationName ? { operationName: request.operationName } : {}) });
}
