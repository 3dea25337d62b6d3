import { createHash } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { isAdmin, signRequest, type Caller } from '../../lib/auth';
import { ServiceUnavailableError } from '../../lib/ddd';
import { toGraphQLError } from '../../lib/graphql';
import { CORRELATION_HEADER, type RequestDeadline } from '../../lib/logging';
import { parseCacheHint, restrictHint, type CacheHint } from '../cache/cache-hint';
import { requestCacheState } from '../cache/request-cache-state';
import type { TaggedCache } from '../cache/tagged-cache';
import type { GatewayContext } from '../gateway-context';
import { Inflight } from './inflight';
import type { SubgraphFetch } from './subgraph-fetch';

/** How one subgraph fetch was served, for metrics and traces (the hook point for per-subgraph fetch timing). */
export interface FetchObservation {
  readonly subgraph: string;
  /** `fetched`: this request went to the subgraph; `deduped`: it shared an identical fetch in flight; `cached`: no call. */
  readonly outcome: 'fetched' | 'deduped' | 'cached';
  readonly durationMs: number;
  readonly status?: number;
}

export type FetchObserver = (observation: FetchObservation) => void;

export interface FederatedDataSourceOptions {
  readonly name: string;
  readonly url: string;
  readonly fetch: SubgraphFetch;
  readonly signingSecret: string;
  /** Share identical query fetches of the same caller while one is in flight. */
  readonly dedupe: boolean;
  /** The response cache: entity-level caching of `_entities` fetches, and invalidation by writes (absent: off). */
  readonly entityCache?: TaggedCache | undefined;
  readonly observe?: FetchObserver | undefined;
  /**
   * The longest a fetch shared by several requests may take (REQUEST_TIMEOUT_MS): it is aborted by no one request's
   * deadline, since the others still wait for it; each request stops waiting at its own.
   */
  readonly sharedFetchTimeoutMs: number;
}

/** A subgraph's answer, parsed once per consumer from the text fetched once. */
interface Fetched {
  /** The cache's epoch when the request left: data read before an invalidation is never stored after it. */
  readonly epoch: number;
  readonly status: number;
  readonly text: string;
  readonly hint: CacheHint | undefined;
  readonly tags: readonly string[];
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

type Representation = { readonly __typename: string; readonly id?: unknown } & Record<string, unknown>;

/** Subgraph documents are printed by the query planner; a mutation is never shared or cached. */
const MUTATION = /^\s*(mutation|subscription)\b/;

/** How long a type whose subgraph sent no cache hint is not looked up in the entity cache. */
const UNCACHEABLE_MEMORY_MS = 60_000;

/**
 * The gateway's data source for one subgraph: signs the caller's identity onto each request, shares identical
 * in-flight queries of the same caller (dedupe), serves `_entities` from the entity cache where the subgraph's cache
 * hints allow, reads the subgraph's `Cache-Control` into the request's cache policy, and parses each body once.
 *
 * Never shared or cached: mutations and every fetch of a mutation's plan (a follow-up read must see the write).
 * The dedupe key is the subgraph, document, variables and caller identity (sub and roles), never the per-request
 * signature headers. Each consumer of a shared response parses its own copy, because the query plan executor
 * merges later fetches into the objects it receives.
 */
export class FederatedDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly inflight = new Inflight<Fetched>();
  private readonly documentKeys = new Map<string, string>();
  private readonly uncacheableUntil = new Map<string, number>();

  constructor(private readonly options: FederatedDataSourceOptions) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const query = request.query;
    if (!query) throw new Error('missing query for a subgraph fetch');
    const context = options.context as Partial<GatewayContext>;
    const caller = context.caller ?? null;
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    // Health checks and schema loading carry no client request (and no caller).
    const incoming = 'incomingRequestContext' in options ? options.incomingRequestContext : undefined;
    const readOnly = incoming !== undefined && incoming.operation.operation === 'query' && !MUTATION.test(query);
    const policy = incoming?.overallCachePolicy as { restrict(hint: { maxAge?: number; scope?: string }): void } | undefined;
    const state = incoming ? requestCacheState(options.context) : undefined;
    const send: SendOptions = { query, variables, operationName: request.operationName, caller, correlationId: context.correlationId, readOnly, deadline: context.deadline };

    const entities = this.options.entityCache && readOnly ? entityFetch(variables) : undefined;
    if (entities && this.entityCacheWanted(entities.typename)) {
      const result = await this.fetchEntities(send, entities.representations, entities.typename, this.options.entityCache!);
      policy?.restrict(result.hint ? { maxAge: result.hint.maxAge, scope: result.hint.scope } : { maxAge: 0 });
      if (state) {
        for (const tag of result.tags) state.tags.add(tag);
        if (result.epoch !== undefined) state.fetchEpochs.add(result.epoch);
      }
      return result.body;
    }

    const fetched = await this.load(send);
    // A write names what it changed: cached copies go before the client can read again (events do the same for
    // changes made elsewhere, a moment later).
    if (!readOnly && incoming && this.options.entityCache && fetched.status === 200 && fetched.tags.length > 0) await this.options.entityCache.invalidate(fetched.tags);
    policy?.restrict(fetched.hint ? { maxAge: fetched.hint.maxAge, scope: fetched.hint.scope } : { maxAge: 0 });
    if (state) {
      for (const tag of fetched.tags) state.tags.add(tag);
      state.fetchEpochs.add(fetched.epoch);
    }
    return toResponse(fetched, this.options.name);
  }

  /**
   * One fetch, shared with identical read-only fetches of the same caller already in flight. A fetch of one request
   * alone is aborted by that request's deadline (so a subgraph stops work nobody waits for); a shared one has its
   * own time budget, and each request sharing it stops waiting at its own deadline.
   */
  private load(send: SendOptions): Promise<Fetched> {
    if (!this.options.dedupe || !send.readOnly) return this.observed(send, send.deadline?.signal);
    const key = `${send.query}\n${JSON.stringify(send.variables)}\n${send.operationName ?? ''}\n${callerKey(send.caller)}`;
    const started = performance.now();
    const { promise: fetching, shared } = this.inflight.run(key, () => this.observed(send, AbortSignal.timeout(this.options.sharedFetchTimeoutMs)));
    const promise = untilDeadline(fetching, send.deadline);
    if (shared && this.options.observe) {
      const observe = this.options.observe;
      const report = (status?: number) => observe({ subgraph: this.options.name, outcome: 'deduped', durationMs: performance.now() - started, ...(status ? { status } : {}) });
      promise.then((fetched) => report(fetched.status), () => report());
    }
    return promise;
  }

  private async observed(send: SendOptions, signal: AbortSignal | undefined): Promise<Fetched> {
    const started = performance.now();
    let status: number | undefined;
    try {
      const fetched = await this.send(send, signal);
      status = fetched.status;
      return fetched;
    } finally {
      this.options.observe?.({ subgraph: this.options.name, outcome: 'fetched', durationMs: performance.now() - started, ...(status ? { status } : {}) });
    }
  }

  /** The HTTP request itself. Identity signing happens here and only here, over the final body. */
  private async send(send: SendOptions, signal: AbortSignal | undefined): Promise<Fetched> {
    const body = JSON.stringify({ query: send.query, variables: send.variables, ...(send.operationName ? { operationName: send.operationName } : {}) });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      ...this.identityHeaders(send.caller, body),
    };
    if (send.correlationId) headers[CORRELATION_HEADER] = send.correlationId;
    const epoch = this.options.entityCache?.epoch ?? 0;
    let response;
    try {
      response = await this.options.fetch({ url: this.options.url, headers, body, ...(signal ? { signal } : {}) });
    } catch (error) {
      throw deadlineError(send.deadline, signal) ?? error;
    }
    return {
      epoch,
      status: response.status,
      text: response.text,
      hint: response.status === 200 ? parseCacheHint(response.cacheControl) : undefined,
      tags: response.cacheTags ? response.cacheTags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '') : [],
    };
  }

  /**
   * The signed caller headers for a POST of this body to the subgraph (the one place identity is signed,
   * docs/architecture.md §3): the signature covers method, path and the exact body bytes, so it is good for this fetch only.
   */
  private identityHeaders(caller: Caller, body: string): Record<string, string> {
    if (caller === null) return {};
    return signRequest({ caller, method: 'POST', path: this.path, body }, this.options.signingSecret);
  }

  private get path(): string {
    this.#path ??= ((url) => `${url.pathname}${url.search}`)(new URL(this.options.url));
    return this.#path;
  }

  #path: string | undefined;

  private entityCacheWanted(typename: string): boolean {
    const until = this.uncacheableUntil.get(typename);
    if (until === undefined) return true;
    if (until > Date.now()) return false;
    this.uncacheableUntil.delete(typename);
    return true;
  }

  /**
   * `_entities` through the entity cache: cached representations are answered from it, the rest fetched in one
   * request (shared like any other), and what the subgraph marks cacheable stored per entity, tagged
   * `<type>:<id>`. Only PUBLIC entities are cached, partitioned by admin role so an admin-only field can never
   * reach anyone else even if a hint were wrong.
   */
  private async fetchEntities(
    send: SendOptions,
    representations: readonly Representation[],
    typename: string,
    cache: TaggedCache,
  ): Promise<{ body: GatewayGraphQLResponse; hint: CacheHint | undefined; tags: string[]; epoch?: number }> {
    const started = performance.now();
    const documentKey = this.documentKey(send.query);
    const partition = isAdmin(send.caller) ? 'admin' : 'all';
    const keys = representations.map((representation) => `x|${this.options.name}|${documentKey}|${partition}|${JSON.stringify(representation)}`);
    const found = await Promise.all(keys.map((key) => cache.get(key)));
    const now = Date.now();
    const missing: number[] = [];
    let hint: CacheHint | undefined = { maxAge: Number.MAX_SAFE_INTEGER, scope: 'PUBLIC' };
    const tags: string[] = [];
    found.forEach((entry, index) => {
      if (!entry) {
        missing.push(index);
        return;
      }
      hint = restrictHint(hint, { maxAge: Math.max(1, Math.floor((entry.expiresAt - now) / 1000)), scope: entry.scope });
      tags.push(...entry.tags);
    });
    const entities: unknown[] = found.map((entry) => (entry ? JSON.parse(entry.value) : null));
    if (missing.length === 0) {
      this.options.observe?.({ subgraph: this.options.name, outcome: 'cached', durationMs: performance.now() - started });
      return { body: { data: { _entities: entities } }, hint, tags };
    }

    const partial = missing.length === representations.length ? representations : missing.map((index) => representations[index]!);
    const fetched = await this.load({ ...send, variables: { representations: partial } });
    const response = parseBody(fetched, this.options.name);
    hint = restrictHint(hint, fetched.hint);
    tags.push(...fetched.tags);
    const received = (response.data?.['_entities'] ?? null) as unknown[] | null;
    if (!fetched.hint) this.uncacheableUntil.set(typename, Date.now() + UNCACHEABLE_MEMORY_MS);
    const failed = new Set<number>();
    const errors = response.errors?.map((error) => {
      // Paths of the partial fetch point into `partial`; the executor expects positions in the full list.
      const position = error.path?.[1];
      if (typeof position !== 'number') return error;
      failed.add(position);
      return { ...error, path: ['_entities', missing[position] ?? position, ...error.path!.slice(2)] };
    });
    if (!Array.isArray(received)) return { body: { ...response, ...(errors ? { errors } : {}) }, hint: undefined, tags, epoch: fetched.epoch };
    const writes: Promise<void>[] = [];
    missing.forEach((index, position) => {
      const entity = received[position] ?? null;
      entities[index] = entity;
      const id = representations[index]!.id;
      const entityHint = fetched.hint;
      // A shared fetch may have left before an invalidation this request came after: its epoch tells.
      if (entity === null || failed.has(position) || !entityHint || entityHint.scope !== 'PUBLIC' || typeof id !== 'string' || cache.epoch !== fetched.epoch) return;
      const tag = `${typename.toLowerCase()}:${id}`;
      writes.push(cache.set(keys[index]!, { value: JSON.stringify(entity), scope: 'PUBLIC', ttlSeconds: entityHint.maxAge, tags: [tag] }));
    });
    // Fetched entities were handed to the executor as parsed; the cache keeps text, so later merges cannot touch it.
    await Promise.all(writes);
    return { body: { data: { _entities: entities }, ...(errors ? { errors } : {}), ...(response.extensions ? { extensions: response.extensions } : {}) }, hint, tags, epoch: fetched.epoch };
  }

  /** A short stable key for a subgraph document (the planner reuses the same strings). */
  private documentKey(query: string): string {
    let key = this.documentKeys.get(query);
    if (!key) {
      key = createHash('sha256').update(query).digest('base64url').slice(0, 22);
      if (this.documentKeys.size > 10_000) this.documentKeys.clear();
      this.documentKeys.set(query, key);
    }
    return key;
  }
}

interface SendOptions {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly operationName: string | undefined;
  readonly caller: Caller;
  readonly correlationId: string | undefined;
  readonly readOnly: boolean;
  readonly deadline: RequestDeadline | undefined;
}

/**
 * The request's own deadline over a fetch it shares with others: it stops waiting when its deadline passes (or its
 * client leaves), answering SERVICE_UNAVAILABLE, while the fetch goes on for the others.
 */
function untilDeadline<T>(promise: Promise<T>, deadline: RequestDeadline | undefined): Promise<T> {
  if (!deadline) return promise;
  const signal = deadline.signal;
  if (signal.aborted) return Promise.reject(toGraphQLError(deadline.reason!));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(toGraphQLError(deadline.reason!));
    signal.addEventListener('abort', stop, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** A fetch aborted by a deadline is SERVICE_UNAVAILABLE for the client, not a masked internal error. */
function deadlineError(deadline: RequestDeadline | undefined, signal: AbortSignal | undefined): Error | undefined {
  if (deadline?.reason) return toGraphQLError(deadline.reason);
  if (signal?.aborted) {
    return toGraphQLError(new ServiceUnavailableError('a subgraph did not answer within the request timeout; a dependency is slow or unavailable, try again'));
  }
  return undefined;
}

/** The identity a dedupe key names: who the subgraph will believe is calling. */
function callerKey(caller: Caller): string {
  return caller === null ? 'anonymous' : JSON.stringify([caller.sub, caller.roles]);
}

/** A plain `_entities` fetch of one type: `{ representations }` and nothing else. */
function entityFetch(variables: Record<string, unknown>): { representations: Representation[]; typename: string } | undefined {
  const representations = variables['representations'];
  if (!Array.isArray(representations) || representations.length === 0 || Object.keys(variables).length !== 1) return undefined;
  const first = representations[0] as Partial<Representation> | null;
  const typename = first?.__typename;
  if (typeof typename !== 'string') return undefined;
  for (const representation of representations as (Partial<Representation> | null)[]) {
    if (representation?.__typename !== typename) return undefined;
  }
  return { representations: representations as Representation[], typename };
}

function parseBody(fetched: Fetched, subgraph: string): GraphQLBody {
  let body: unknown;
  try {
    body = JSON.parse(fetched.text);
  } catch {
    throw new Error(`subgraph ${subgraph} answered HTTP ${fetched.status} with a body that is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || (!('data' in body) && !('errors' in body))) {
    throw new Error(`subgraph ${subgraph} answered HTTP ${fetched.status} without a GraphQL response`);
  }
  return body as GraphQLBody;
}

function toResponse(fetched: Fetched, subgraph: string): GatewayGraphQLResponse {
  // Subgraphs answer GraphQL errors with 200, and request errors (bad variables) with 400 and a GraphQL body: both
  // are passed on as GraphQL errors. Any other status is a failure of the subgraph.
  if (fetched.status !== 200 && fetched.status !== 400) throw new Error(`subgraph ${subgraph} answered HTTP ${fetched.status}`);
  return parseBody(fetched, subgraph);
}
