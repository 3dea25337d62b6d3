import type { EventConsumer } from '../../lib/events';
import { PRODUCT_CHANGE_EVENT_TYPES, productTagsChangedBy } from '../../lib/events/product-changes';
import type { Logger } from '../../lib/logging';
import type { TaggedCache } from './tagged-cache';

export const GATEWAY_CACHE_CONSUMER_GROUP = 'gateway-cache';

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
      await cache.invalidate(tags);
      logger.debug({ tags, eventId: envelope.id, type: envelope.type }, 'response cache invalidated');
    },
  };
}
