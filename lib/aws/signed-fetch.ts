import type { RequestSigner } from './sigv4';

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  redirect?: 'follow' | 'error' | 'manual';
}

type FetchLike = (url: string, init?: FetchInit) => Promise<unknown>;

/**
 * Wraps a fetch so that every request leaves SigV4-signed over its final method, URL, headers and body. `host`
 * is signed but not set by hand: fetch derives it from the URL, with the same value.
 */
export function signedFetch<F extends FetchLike>(sign: RequestSigner, base: F): F {
  const wrapped = async (url: string, init: FetchInit = {}) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
    const signed = await sign({ method: init.method ?? 'GET', url, headers, body: init.body });
    const { host: _host, ...rest } = signed;
    return base(url, { ...init, headers: rest });
  };
  return wrapped as F;
}
