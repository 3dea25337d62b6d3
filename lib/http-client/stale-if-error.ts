import type { Dispatcher } from 'undici';
import type CacheInterceptor from 'undici/types/cache-interceptor';
import { requestHeader } from './forwarding-handler';

/**
 * stale-if-error for a client whose origin does not grant it.
 *
 * RFC 5861 section 4 lets a *request* say `Cache-Control: stale-if-error=N`: the client accepts a response up to
 * N seconds stale when the origin fails. undici's cache honours the request directive (cache.js handleResult:
 * `result.cacheControlDirectives['stale-if-error'] ?? reqCacheControl?.['stale-if-error']`), but only while it
 * still holds the entry, and it drops an entry at staleAt + max(stale-while-revalidate, the *response's*
 * stale-if-error) (cache-handler.js determineDeleteAt). For an origin that sends only
 * `max-age=300, stale-while-revalidate=60`, the entry is gone exactly when stale-while-revalidate stops covering
 * it, so the request directive alone would never serve anything.
 *
 * Three pieces make it work without touching the origin's Cache-Control:
 * 1. `acceptStaleIfError(N)` adds the request directive to GETs that carry no Cache-Control of their own;
 * 2. `retainForStaleIfError(store, N)` keeps each entry until at least staleAt + N (RFC 9111 4.2: a cache may store
 *    a response past its freshness; serving it stale is what the request directive permits, RFC 9111 4.2.4);
 * 3. failuresAsServiceUnavailable() (failure-response.ts) turns transport failures below the cache into 503s,
 *    the only kind of error undici's revalidation path treats as stale-if-error.
 * An origin's own must-revalidate / proxy-revalidate / s-maxage still forbids serving stale (undici checks).
 *
 * Cost while the origin is healthy: an entry looked up after its stale-while-revalidate window is revalidated
 * inline; a 304 that repeats Cache-Control (as RFC 9110 15.4.5 asks) makes undici 7 delete the entry
 * (cache.js: revalidationResponseUpdatesCacheControl -> deleteCachedValue) rather than refresh it, so the lookup
 * after that is a full fetch. Within stale-while-revalidate the background 304 does refresh the entry.
 */
export function acceptStaleIfError(seconds: number): Dispatcher.DispatcherComposeInterceptor {
  assertSeconds(seconds);
  const directive = `stale-if-error=${Math.floor(seconds)}`;
  return (dispatch) => (opts, handler) => {
    if (opts.method !== 'GET' || requestHeader(opts.headers, 'cache-control') !== undefined) return dispatch(opts, handler);
    return dispatch({ ...opts, headers: withHeader(opts.headers, 'cache-control', directive) }, handler);
  };
}

/** Stretches every entry's lifetime in the store to at least its stale-if-error window. */
export function retainForStaleIfError(store: CacheInterceptor.CacheStore, seconds: number): CacheInterceptor.CacheStore {
  assertSeconds(seconds);
  const windowMs = Math.floor(seconds) * 1000;
  return {
    get: (key) => store.get(key),
    delete: (key) => store.delete(key),
    createWriteStream: (key, value) => store.createWriteStream(key, { ...value, deleteAt: Math.max(value.deleteAt, value.staleAt + windowMs) }),
  };
}

function assertSeconds(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 1) throw new RangeError(`stale-if-error must be at least 1 second, got ${seconds}`);
}

function withHeader(headers: Dispatcher.DispatchOptions['headers'], name: string, value: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  if (headers != null) {
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) result[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
    } else if (Symbol.iterator in headers) {
      for (const [key, entry] of headers as Iterable<[string, string | string[] | undefined]>) {
        if (entry !== undefined) result[key.toLowerCase()] = entry;
      }
    } else {
      for (const [key, entry] of Object.entries(headers)) {
        if (entry != null) result[key.toLowerCase()] = Array.isArray(entry) ? entry : String(entry);
      }
    }
  }
  result[name] = value;
  return result;
}
