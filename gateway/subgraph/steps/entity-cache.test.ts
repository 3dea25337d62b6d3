import { beforeEach, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../lib/logging';
import { TaggedCache } from '../../cache/tagged-cache';
import type { SubgraphRequest } from '../fetch-step';
import { responseBody } from '../parse-response';
import { recordingNext, subgraphAnswer, subgraphRequest } from '../testing/fetches';
import { entityCache } from './entity-cache';

const logger = createLogger({ service: 'test', level: 'silent' });
const ENTITIES = 'query Q__catalog__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name } } }';
const reps = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Product', id })) });

/** A Catalog that answers every representation with its name, cacheable for a minute. */
const catalog = (request: SubgraphRequest) =>
  subgraphAnswer({
    text: JSON.stringify({ data: { _entities: ((request.variables['representations'] ?? []) as { id: string }[]).map((rep) => ({ name: `Product ${rep.id}` })) } }),
    hint: { maxAge: 60, scope: 'PUBLIC' },
    tags: [],
    epoch: 0,
  });

let cache: TaggedCache;
beforeEach(() => {
  cache = new TaggedCache({ maxEntries: 100, logger, repeatInvalidationMs: 0 });
});

describe('entityCache', () => {
  it('fetches only the representations it lacks, puts them in their places and answers the rest from the cache', async () => {
    const next = recordingNext(catalog);
    const fetch = entityCache(cache)(next);
    await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p1', 'p3') }));
    const response = await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p1', 'p2', 'p3') }));
    expect(next.requests.map((request) => request.variables)).toEqual([reps('p1', 'p3'), reps('p2')]);
    expect(responseBody(response, 'catalog')).toEqual({ data: { _entities: [{ name: 'Product p1' }, { name: 'Product p2' }, { name: 'Product p3' }] } });
    const cached = await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p3', 'p1') }));
    expect(cached.served).toBe('cached');
    expect(cached.tags).toEqual(['product:p3', 'product:p1']);
    expect(next.requests).toHaveLength(2);
  });

  it('keeps admins apart, and leaves writes, fresh reads and other fetches to the rest of the chain', async () => {
    const next = recordingNext(catalog);
    const fetch = entityCache(cache)(next);
    await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p1') }));
    await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p1'), caller: { sub: 'admin-1', roles: ['admin'] } }));
    await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p1'), readOnly: false }));
    await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p1'), fresh: true }));
    await fetch(subgraphRequest({ variables: { first: 1 } }));
    expect(next.requests).toHaveLength(5);
  });

  it('caches nothing a subgraph marks uncacheable, and stops looking that type up for a while', async () => {
    const next = recordingNext((request) => ({ ...catalog(request), hint: undefined }));
    const fetch = entityCache(cache)(next);
    await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p1') }));
    await fetch(subgraphRequest({ query: ENTITIES, variables: reps('p1') }));
    expect(next.requests).toHaveLength(2);
    expect(next.requests[1]!.variables).toEqual(reps('p1'));
  });
});
