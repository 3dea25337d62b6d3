import { ServiceUnavailableError } from '../../lib/ddd';
import type { EventConsumer } from '../../lib/events';
import { PRODUCT_CHANGE_EVENT_TYPES, productTagsChangedBy } from '../../lib/events/product-changes';
import type { Logger } from '../../lib/logging';
import type { TaggedCache } from './tagged-cache';

export const GATEWAY_CACHE_CONSUMER_GROUP = 'gateway-cache';

const INVALIDATION_CONNECT_WAIT_MS = 2_000;

/**
 * Catalog's product events drop what the gateway cached about those products. One gateway instance of the group
 * receives each event; the cache's Redis broadcast reaches every other instance.
 */
export function productCacheInvalidation(cache: TaggedCache, logger: Logger): EventConsumer {
  return {
    group: GATEWAY_CACHE_CONSUMER_GROUP,
    types: PRODUCT_CHANGE_EVENT_TYPES,
    async handle(envelope) {
      const tags = productTagsChangedBy(envelope);
      if (tags.length === 0) return;
      // Not acknowledged until Redis has it: a gateway task fences the shared layer when it is back, but the fan-out
      // Lambda may never come back, so the delivery is retried instead. A container just started is given a moment
      // to connect first.
      await cache.whenAvailable(INVALIDATION_CONNECT_WAIT_MS);
      if (!(await cache.invalidate(tags))) {
        throw new ServiceUnavailableError(`the response cache could not be invalidated in Redis for ${envelope.type} ${envelope.id}; retrying`);
      }
      logger.debug({ tags, eventId: envelope.id, type: envelope.type }, 'response cache invalidated');
    },
  };
}
