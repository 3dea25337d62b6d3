import { trace } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type CacheInterceptor from 'undici/types/cache-interceptor';
import { isOriginFailureStatus } from './circuit-breaker';
import { ForwardingHandler, requestHeader } from './forwarding-handler';
import { counterOn, type ClientMetricsTarget } from './metrics';
import { ATTR } from '../telemetry/tracer';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;

/**
 * How a lookup was answered:
 * - `hit`: from the store, fresh; the origin was not asked.
 * - `stale`: from the store, stale within stale-while-revalidate; the origin is asked in the background.
 * - `revalidated`: the store's entry was stale, the origin confirmed it with 304 Not Modified.
 * - `stale_if_error`: the store's entry was stale, the origin failed, the stale entry was served (RFC 5861 4).
 * - `miss`: the origin's answer was used (nothing stored, a changed representation, or its failure).
 */
export type LookupResult = 'hit' | 'stale' | 'revalidated' | 'stale_if_error' | 'miss';

/** What the exchanges below the cache did for one lookup, shared by reference through the dispatch options. */
interface LookupProbe {
  /** Set once the lookup has its answer: later origin exchanges are background revalidations. */
  answered: boolean;
  exchange: 'fetch' | 'revalidation' | undefined;
  /** Status the origin side answered with; undefined when it failed without a response. */
  originStatus: number | undefined;
}

const PROBE = Symbol('http-client.cache-lookup-probe');
type ProbedOptions = Dispatcher.DispatchOptions & { [PROBE]?: LookupProbe };

export interface CacheObserver {
  /** Place directly above (outside) the cache interceptor: sees every lookup and how it was answered. */
  readonly lookups: Dispatcher.DispatcherComposeInterceptor;
  /** Place directly below (inside) the cache interceptor: sees each exchange the cache makes with the origin. */
  readonly originExchanges: Dispatcher.DispatcherComposeInterceptor;
  /** Wraps the cache store to count completed writes (the entry is in the store, e.g. Redis acknowledged it). */
  countWrites(store: CacheInterceptor.CacheStore): CacheInterceptor.CacheStore;
}

/**
 * Cache metrics, on the client's registry:
 * - `http_client_cache_lookups_total{client,result}`: one per lookup, by LookupResult (hit ratio = hit / all).
 * - `http_client_cache_revalidations_total{client,outcome,mode}`: conditional requests the cache sent;
 *   outcome not_modified (304) | modified | failed; mode inline (the lookup waited) | background
 *   (stale-while-revalidate).
 * - `http_client_cache_writes_total{client}`: entries the store finished writing.
 * The pair of interceptors shares a probe through the dispatch options (undici's cache passes options on with
 * object spread, which keeps symbol keys), so each lookup is classified from what really happened below it
 * rather than guessed from headers.
 */
export function createCacheObserver(target: ClientMetricsTarget): CacheObserver {
  const { registry, client } = target;
  const lookups = counterOn(registry, 'http_client_cache_lookups_total', 'HTTP cache lookups by how they were answered (hit, stale, revalidated, stale_if_error, miss)', ['client', 'result']);
  const revalidations = counterOn(registry, 'http_client_cache_revalidations_total', 'Conditional requests the HTTP cache sent to the origin, by outcome (not_modified is a 304) and mode', ['client', 'outcome', 'mode']);
  const writes = counterOn(registry, 'http_client_cache_writes_total', 'Responses the HTTP cache store finished writing', ['client']);

  return {
    lookups: (dispatch) => (opts, handler) => {
      const probe: LookupProbe = { answered: false, exchange: undefined, originStatus: undefined };
      const probed: ProbedOptions = { ...opts, [PROBE]: probe };
      // The span of the caller's lookup, when traced: how the cache answered is an attribute of it (a hit has no
      // HTTP client span of its own, since no request leaves the process).
      const span = trace.getActiveSpan();
      return dispatch(
        probed,
        new LookupHandler(handler, probe, (result) => {
          lookups.inc({ client, result });
          span?.setAttribute(ATTR.cacheResult, result);
        }),
      );
    },

    originExchanges: (dispatch) => (opts, handler) => {
      const probe = (opts as ProbedOptions)[PROBE];
      // The cache adds these validators when it revalidates a stored entry (RFC 9111 4.3.1).
      const conditional = requestHeader(opts.headers, 'if-none-match') !== undefined || requestHeader(opts.headers, 'if-modified-since') !== undefined;
      const background = probe?.answered ?? false;
      if (probe && !background) {
        probe.exchange = conditional ? 'revalidation' : 'fetch';
        probe.originStatus = undefined;
      }
      const onOutcome = (statusCode: number | undefined) => {
        if (probe && !background) probe.originStatus = statusCode;
        if (conditional) revalidations.inc({ client, outcome: revalidationOutcome(statusCode), mode: background ? 'background' : 'inline' });
      };
      return dispatch(opts, new OriginExchangeHandler(handler, onOutcome));
    },

    countWrites(store) {
      return {
        get: (key) => store.get(key),
        delete: (key) => store.delete(key),
        createWriteStream(key, value) {
          const stream = store.createWriteStream(key, value);
          stream?.once('finish', () => writes.inc({ client }));
          return stream;
        },
      };
    },
  };
}

function revalidationOutcome(statusCode: number | undefined): 'not_modified' | 'modified' | 'failed' {
  if (statusCode === undefined || isOriginFailureStatus(statusCode)) return 'failed';
  return statusCode === 304 ? 'not_modified' : 'modified';
}

function classify(probe: LookupProbe, statusCode: number, headers: Headers): LookupResult {
  if (probe.exchange === undefined) {
    // undici marks a stored response served past its freshness with Warning 110 (cache.js sendCachedValue).
    return headers['warning'] !== undefined ? 'stale' : 'hit';
  }
  if (probe.exchange === 'fetch') return 'miss';
  if (probe.originStatus === 304) return 'revalidated';
  const originFailed = probe.originStatus === undefined || isOriginFailureStatus(probe.originStatus);
  return originFailed && !isOriginFailureStatus(statusCode) ? 'stale_if_error' : 'miss';
}

class LookupHandler extends ForwardingHandler {
  #counted = false;

  constructor(
    next: Dispatcher.DispatchHandler,
    private readonly probe: LookupProbe,
    private readonly count: (result: LookupResult) => void,
  ) {
    super(next);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Headers, statusMessage?: string): void {
    this.#record(classify(this.probe, statusCode, headers));
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseError(controller: Controller, error: Error): void {
    this.#record('miss');
    super.onResponseError(controller, error);
  }

  #record(result: LookupResult): void {
    this.probe.answered = true;
    if (this.#counted) return;
    this.#counted = true;
    this.count(result);
  }
}

class OriginExchangeHandler extends ForwardingHandler {
  #reported = false;

  constructor(
    next: Dispatcher.DispatchHandler,
    private readonly report: (statusCode: number | undefined) => void,
  ) {
    super(next);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Headers, statusMessage?: string): void {
    this.#once(statusCode);
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseError(controller: Controller, error: Error): void {
    this.#once(undefined);
    super.onResponseError(controller, error);
  }

  #once(statusCode: number | undefined): void {
    if (this.#reported) return;
    this.#reported = true;
    this.report(statusCode);
  }
}
