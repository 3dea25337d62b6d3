import { ok, type ApiContext, type ApiResult } from './api';
import { invalidRequest, noSuchObject } from './errors';
import type { RecordedEvent } from './event-log';

/** `type=payment_intent.*` matches every type under the prefix, as in Stripe's list filter. */
function typeFilter(patterns: readonly string[]): (recorded: RecordedEvent) => boolean {
  if (patterns.length === 0) return () => true;
  return ({ event }) => patterns.some((pattern) => (pattern.endsWith('.*') ? event.type.startsWith(pattern.slice(0, -1)) : event.type === pattern));
}

/**
 * `GET /v1/events`: newest first, `limit` 1 to 100 (default 10), cursors `starting_after` / `ending_before`, and
 * `type` or `types[]` (up to 20) to filter (https://docs.stripe.com/api/events/list).
 */
export function listEvents(context: ApiContext): ApiResult {
  const params = context.params.allowOnly(['limit', 'starting_after', 'ending_before', 'type', 'types']);
  const limit = params.integer('limit', { min: 1, max: 100 }) ?? 10;
  const startingAfter = params.string('starting_after');
  const endingBefore = params.string('ending_before');
  const type = params.string('type');
  const types = params.list('types');
  if (type && types.length > 0) throw invalidRequest('You may only specify one of these parameters: type, types.', { param: 'types' });
  if (types.length > 20) throw invalidRequest('You may pass at most 20 event types in `types`.', { param: 'types' });
  if (startingAfter && endingBefore) throw invalidRequest('You may only specify one of these parameters: starting_after, ending_before.', { param: 'ending_before' });

  const all = context.events.newestFirst();
  const matches = typeFilter(type ? [type] : types);
  const cursor = startingAfter ?? endingBefore;
  const at = cursor === undefined ? -1 : all.findIndex(({ event }) => event.id === cursor);
  if (cursor !== undefined && at < 0) throw invalidRequest(`No such event: '${cursor}'`, { code: 'resource_missing', param: startingAfter ? 'starting_after' : 'ending_before' });
  let page: RecordedEvent[];
  let hasMore: boolean;
  if (endingBefore !== undefined) {
    const newer = all.slice(0, at).filter(matches);
    page = newer.slice(-limit);
    hasMore = newer.length > limit;
  } else {
    const older = all.slice(at + 1).filter(matches);
    page = older.slice(0, limit);
    hasMore = older.length > limit;
  }
  return ok({ object: 'list', data: page.map((recorded) => context.events.render(recorded)), has_more: hasMore, url: '/v1/events' });
}

/** `GET /v1/events/:id`. */
export function retrieveEvent(context: ApiContext): ApiResult {
  context.params.allowOnly([]);
  const recorded = context.events.get(context.id);
  if (!recorded) throw noSuchObject('event', context.id, 'id');
  return ok(context.events.render(recorded));
}
