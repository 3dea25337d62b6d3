import type { TaggedCache } from '../../cache/tagged-cache';
import type { FetchStep } from '../fetch-step';

/**
 * What a fetch tells the client request it is part of, for the whole-response cache (gateway/cache): its hint
 * restricts the request's overall cache policy (no hint: not cacheable), and its tags and epoch are recorded. A write
 * names what it changed in its tags: cached copies are dropped before the client can read again (events do the same
 * for changes made elsewhere, a moment later).
 */
export function reportCachePolicy(cache: TaggedCache | undefined): FetchStep {
  return (next) => async (request) => {
    const response = await next(request);
    const incoming = request.incoming;
    if (!incoming) return response;
    const tags = response.tags ?? [];
    if (!request.readOnly && cache && response.status === 200 && tags.length > 0) await cache.invalidate(tags);
    incoming.policy.restrict(response.hint ? { maxAge: response.hint.maxAge, scope: response.hint.scope } : { maxAge: 0 });
    for (const tag of tags) incoming.state.tags.add(tag);
    if (response.epoch !== undefined) incoming.state.fetchEpochs.add(response.epoch);
    return response;
  };
}
