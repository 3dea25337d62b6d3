import type { Dispatcher } from 'undici';
import { createKeepAliveAgent } from '../../lib/http-client/keep-alive-agent';
import { CORRELATION_HEADER } from '../../lib/logging';
import { bodyOf, type SubgraphFetcher } from './fetch-step';

/** What a subgraph answered: status, the headers the gateway reads, and the body as text (parsed by the caller). */
export interface SubgraphHttpResponse {
  readonly status: number;
  readonly cacheControl: string | undefined;
  readonly cacheTags: string | undefined;
  readonly text: string;
}

export interface SubgraphHttpRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Aborts the request (the client's deadline, or a shared fetch's budget). */
  readonly signal?: AbortSignal;
}

/** One POST to a subgraph. Implementations differ only in the HTTP client underneath. */
export type SubgraphFetch = (request: SubgraphHttpRequest) => Promise<SubgraphHttpResponse>;

/** The fetch shape @apollo/gateway's data sources accept (and lib/aws signedFetch wraps). */
export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Subgraph calls over undici: a keep-alive pool of at most `connections` sockets per subgraph origin (no
 * pipelining, RFC 9112 9.3.2), bodies read once as text. It replaces @apollo/gateway's default fetcher
 * (make-fetch-happen over agentkeepalive), whose per-request cost the gateway's CPU profile showed.
 */
export function undiciSubgraphFetch(options: { readonly connections: number }): { fetch: SubgraphFetch; close(): Promise<void> } {
  const agent: Dispatcher = createKeepAliveAgent({ connections: options.connections });
  return {
    async fetch({ url, headers, body, signal }) {
      const target = new URL(url);
      const response = await agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers,
        body,
        ...(signal ? { signal } : {}),
      });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        cacheControl: single(response.headers['cache-control']),
        cacheTags: single(response.headers['cache-tags']),
        text,
      };
    },
    close: () => agent.close(),
  };
}

/** Subgraph calls through a fetch function (a SigV4-signing one, for subgraphs behind IAM-authenticated URLs). */
export function fetchSubgraphFetch(fetcher: FetchLike): SubgraphFetch {
  return async ({ url, headers, body, signal }) => {
    const response = await fetcher(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
    return {
      status: response.status,
      cacheControl: response.headers.get('cache-control') ?? undefined,
      cacheTags: response.headers.get('cache-tags') ?? undefined,
      text: await response.text(),
    };
  };
}

/** The end of the fetch chain (gateway/subgraph/fetch-step.ts): the request on the wire, through `transport`. */
export function sendOver(transport: SubgraphFetch): SubgraphFetcher {
  return async (request) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...request.headers };
    if (request.correlationId) headers[CORRELATION_HEADER] = request.correlationId;
    const response = await transport({ url: request.url, headers, body: bodyOf(request), ...(request.signal ? { signal: request.signal } : {}) });
    return { status: response.status, text: response.text, cacheControl: response.cacheControl, cacheTags: response.cacheTags, served: 'fetched' };
  };
}
