import type { CacheScope } from './tagged-cache';

/** A subgraph's cache hint for one response: how long it may be reused, and by whom. */
export interface CacheHint {
  readonly maxAge: number;
  readonly scope: CacheScope;
}

/**
 * Reads the `Cache-Control` header Apollo Server's cache control plugin writes from the subgraph's `@cacheControl`
 * hints (`max-age=60, public`; `no-store` when not cacheable). Anything else, or no header, means not cacheable:
 * a response is reused only when its subgraph said so.
 */
export function parseCacheHint(header: string | undefined): CacheHint | undefined {
  if (!header) return undefined;
  let maxAge: number | undefined;
  let scope: CacheScope = 'PUBLIC';
  for (const part of header.toLowerCase().split(',')) {
    const directive = part.trim();
    if (directive === 'no-store' || directive === 'no-cache') return undefined;
    if (directive === 'private') scope = 'PRIVATE';
    const match = /^max-age=(\d+)$/.exec(directive);
    if (match) maxAge = Number(match[1]);
  }
  return maxAge !== undefined && maxAge > 0 ? { maxAge, scope } : undefined;
}

/** The stricter of two hints (RFC 9111 semantics the way Apollo's CachePolicy.restrict combines them). */
export function restrictHint(a: CacheHint | undefined, b: CacheHint | undefined): CacheHint | undefined {
  if (!a || !b) return undefined;
  return { maxAge: Math.min(a.maxAge, b.maxAge), scope: a.scope === 'PRIVATE' || b.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC' };
}
