import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../lib/logging';
import { requestCacheState } from '../../cache/request-cache-state';
import { TaggedCache } from '../../cache/tagged-cache';
import type { IncomingRequest } from '../fetch-step';
import { recordingNext, subgraphAnswer, subgraphRequest } from '../testing/fetches';
import { reportCachePolicy } from './report-cache-policy';

const logger = createLogger({ service: 'test', level: 'silent' });

function incoming(): IncomingRequest & { readonly restricted: unknown[] } {
  const restricted: unknown[] = [];
  return { restricted, policy: { restrict: (hint) => void restricted.push(hint) }, state: requestCacheState({}) };
}

describe('reportCachePolicy', () => {
  it("restricts the client request's policy by the hint and records the tags and the epoch", async () => {
    const request = incoming();
    const next = recordingNext(() => subgraphAnswer({ hint: { maxAge: 30, scope: 'PRIVATE' }, tags: ['product:p1'], epoch: 4 }));
    await reportCachePolicy(undefined)(next)(subgraphRequest({ incoming: request }));
    expect(request.restricted).toEqual([{ maxAge: 30, scope: 'PRIVATE' }]);
    expect([...request.state.tags]).toEqual(['product:p1']);
    expect([...request.state.fetchEpochs]).toEqual([4]);
  });

  it('makes a request without a hint uncacheable, and leaves the gateway\'s own fetches alone', async () => {
    const request = incoming();
    await reportCachePolicy(undefined)(recordingNext())(subgraphRequest({ incoming: request }));
    expect(request.restricted).toEqual([{ maxAge: 0 }]);
    await expect(reportCachePolicy(undefined)(recordingNext())(subgraphRequest())).resolves.toMatchObject({ status: 200 });
  });

  it('drops what a write names in its tags before the client can read again; a read drops nothing', async () => {
    const cache = new TaggedCache({ maxEntries: 10, logger, repeatInvalidationMs: 0 });
    await cache.set('entry', { value: '{}', scope: 'PUBLIC', ttlSeconds: 60, tags: ['product:p1'] });
    const next = recordingNext(() => subgraphAnswer({ tags: ['product:p1'] }));
    await reportCachePolicy(cache)(next)(subgraphRequest({ incoming: incoming(), readOnly: true }));
    expect(await cache.get('entry')).toBeDefined();
    await reportCachePolicy(cache)(next)(subgraphRequest({ incoming: incoming(), readOnly: false }));
    expect(await cache.get('entry')).toBeUndefined();
    cache.close();
  });
});
