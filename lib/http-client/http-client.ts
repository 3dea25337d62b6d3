import type { Agent, Dispatcher } from 'undici';
import type { RequestSigner } from '../aws/sigv4';
import type { Logger } from '../logging';
import { createCacheObserver } from './cache-metrics';
import type { HttpCacheStore } from './cache-store';
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker';
import { deadline } from './deadline';
import { failuresAsServiceUnavailable } from './failure-response';
import { createKeepAliveAgent, type KeepAliveOptions } from './keep-alive-agent';
import type { ClientMetricsTarget } from './metrics';
import { timeOriginRequests } from './origin-timing';
import { getOnlyRetry, type RetryPolicyOptions } from './retry-policy';
import { signRequests } from './sign-requests';
import { cacheInterceptor } from './undici-parts';
import { acceptStaleIfError, retainForStaleIfError } from './stale-if-error';

export interface HttpClientOptions extends ClientMetricsTarget {
  /** Where responses are cached; the client does not close it (its owner may share it). */
  readonly cache: HttpCacheStore;
  /** Budget of one origin exchange, retries included. */
  readonly timeoutMs: number;
  readonly breaker: { readonly threshold: number; readonly halfOpenAfterMs: number };
  readonly retry?: RetryPolicyOptions;
  /** How long past staleness a stored response may stand in for a failing origin (RFC 5861). 0 turns it off. */
  readonly staleIfErrorSeconds?: number;
  readonly agent?: KeepAliveOptions;
  readonly logger?: Logger;
  /** Signs each request on the wire (SigV4 when the origin is an IAM-authenticated Lambda function URL). */
  readonly sign?: RequestSigner;
}

export interface HttpClient {
  /** The composed dispatcher: `client.dispatcher.request({ origin, path, method: 'GET' })`. */
  readonly dispatcher: Dispatcher;
  readonly breaker: CircuitBreaker;
  close(): Promise<void>;
}

/**
 * A caching HTTP client for reading one downstream service. Interceptors, outermost first (`compose` makes its
 * LAST argument the outermost):
 *
 *   acceptStaleIfError   adds `Cache-Control: stale-if-error=N` to the request (RFC 5861 4)
 *   lookups              counts every lookup by how it was answered
 *   cache                undici's RFC 9111 cache: a fresh or stale-while-revalidate entry answers here, and
 *                        nothing below runs; a stale one is revalidated with If-None-Match / If-Modified-Since
 *   originExchanges      counts what the cache asks of the origin (revalidations, 304s)
 *   failures -> 503      transport failures become 503 so the cache can apply stale-if-error to them
 *   circuit breaker      below the cache: cached entries are still served while it is open; fails fast otherwise
 *   deadline             one budget for the exchange, above the retries so they cannot stretch it
 *   retry                GET only, 3 attempts, jittered exponential backoff, network errors / 5xx / 429
 *   sign                 optional: SigV4 per attempt (cache hits need no signature)
 *   originTiming         innermost: one latency observation per attempt on the wire
 *   keep-alive Agent
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const target: ClientMetricsTarget = { registry: options.registry, client: options.client };
  const staleIfError = options.staleIfErrorSeconds ?? 0;
  const observer = createCacheObserver(target);
  const breaker = createCircuitBreaker({ ...target, ...options.breaker, ...(options.logger ? { logger: options.logger } : {}) });
  const counted = observer.countWrites(options.cache.store);
  const store = staleIfError > 0 ? retainForStaleIfError(counted, staleIfError) : counted;
  const agent: Agent = createKeepAliveAgent(options.agent);

  const chain: Dispatcher.DispatcherComposeInterceptor[] = [
    timeOriginRequests(target),
    ...(options.sign ? [signRequests(options.sign)] : []),
    getOnlyRetry(options.retry),
    deadline(options.timeoutMs),
    breaker.interceptor,
    failuresAsServiceUnavailable(),
    observer.originExchanges,
    cacheInterceptor({ store, methods: ['GET'], type: 'shared' }),
    observer.lookups,
  ];
  if (staleIfError > 0) chain.push(acceptStaleIfError(staleIfError));
  const dispatcher = agent.compose(chain);

  return {
    dispatcher,
    breaker,
    close: () => agent.close(),
  };
}
