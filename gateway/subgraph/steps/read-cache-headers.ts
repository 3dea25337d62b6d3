import { parseCacheHint } from '../../cache/cache-hint';
import type { TaggedCache } from '../../cache/tagged-cache';
import type { FetchStep } from '../fetch-step';

/**
 * Reads what a subgraph says about caching its answer: the hint from `Cache-Control` (only a 200 can be reused) and
 * the tags of the data in it from `Cache-Tags`; and stamps the response cache's epoch as the fetch leaves, so that
 * what was read before an invalidation is never stored after it.
 */
export function readCacheHeaders(cache: TaggedCache | undefined): FetchStep {
  return (next) => async (request) => {
    const epoch = cache?.epoch ?? 0;
    const response = await next(request);
    return {
      ...response,
      epoch,
      hint: response.status === 200 ? parseCacheHint(response.cacheControl) : undefined,
      tags: response.cacheTags ? response.cacheTags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '') : [],
    };
  };
}
