import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../lib/logging';
import { TaggedCache } from '../../cache/tagged-cache';
import { recordingNext, subgraphAnswer, subgraphRequest } from '../testing/fetches';
import { readCacheHeaders } from './read-cache-headers';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('readCacheHeaders', () => {
  it("reads a 200's Cache-Control hint and its Cache-Tags", async () => {
    const next = recordingNext(() => subgraphAnswer({ cacheControl: 'max-age=60, public', cacheTags: 'product:p1, products,' }));
    const response = await readCacheHeaders(undefined)(next)(subgraphRequest());
    expect(response.hint).toEqual({ maxAge: 60, scope: 'PUBLIC' });
    expect(response.tags).toEqual(['product:p1', 'products']);
  });

  it('gives no hint to another status, nor to no-store', async () => {
    expect((await readCacheHeaders(undefined)(recordingNext(() => subgraphAnswer({ status: 400, cacheControl: 'max-age=60' })))(subgraphRequest())).hint).toBeUndefined();
    expect((await readCacheHeaders(undefined)(recordingNext(() => subgraphAnswer({ cacheControl: 'no-store' })))(subgraphRequest())).hint).toBeUndefined();
  });

  it("stamps the cache's epoch as the fetch leaves, not as it returns", async () => {
    const cache = new TaggedCache({ maxEntries: 10, logger, repeatInvalidationMs: 0 });
    const before = cache.epoch;
    const next = recordingNext(async () => {
      await cache.invalidate(['product:p1']);
      return subgraphAnswer();
    });
    const response = await readCacheHeaders(cache)(next)(subgraphRequest());
    expect(response.epoch).toBe(before);
    expect(cache.epoch).not.toBe(before);
    cache.close();
  });
});
