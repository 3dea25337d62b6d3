import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Caller } from '../../lib/auth';
import type { RunningSystem } from '../../scripts/system';
import { createProduct } from '../../subgraphs/catalog/application/create-product';
import { productInput } from '../support/catalog';
import { graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { startTestSystem } from '../support/system';

/**
 * `Product.__resolveReference` goes through a per-request DataLoader into BatchGetItem (100 keys per call).
 * The `_entities` query below is exactly what the gateway sends a subgraph to resolve product references; the
 * BatchGetItem calls are counted on the catalog's own `/metrics`.
 */

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id sku name } } }`;
const SEEDER: Caller = { sub: 'seed', roles: ['admin'] };

let system: RunningSystem;
const ids: string[] = [];

const batchGets = () => metricValue(system.urls.catalog, 'dynamodb_requests_total', { operation: 'BatchGetItem', service: 'catalog' });
const reference = (id: string) => ({ __typename: 'Product', id });

beforeAll(async () => {
  system = await startTestSystem('catalog-batching');
  for (let n = 1; n <= 50; n += 1) {
    ids.push((await createProduct(system.catalog.deps, SEEDER, productInput(n))).id);
  }
});
afterAll(() => system?.stop());

describe('resolving product references', () => {
  it('resolves 50 references with exactly one BatchGetItem call', async () => {
    const before = await batchGets();
    const response = await graphql<{ _entities: { id: string; sku: string }[] }>(`${system.urls.catalog}/graphql`, ENTITIES, {
      representations: ids.map(reference),
    });
    expect(response.errors).toBeUndefined();
    expect(await batchGets()).toBe(before + 1);
    expect(response.data!._entities.map((entity) => entity.id)).toEqual(ids);
    expect(response.data!._entities[9]!.sku).toBe('E2E-0010');
  });

  it('asks for at most 100 keys per call: 150 references make two calls, unknown ones resolve to null in place', async () => {
    const unknown = Array.from({ length: 100 }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
    const requested = [...ids.slice(0, 25), ...unknown, ...ids.slice(25)];
    const before = await batchGets();
    const response = await graphql<{ _entities: ({ id: string } | null)[] }>(`${system.urls.catalog}/graphql`, ENTITIES, {
      representations: requested.map(reference),
    });
    expect(response.errors).toBeUndefined();
    expect(await batchGets()).toBe(before + 2);
    expect(response.data!._entities.map((entity) => entity?.id ?? null)).toEqual([...ids.slice(0, 25), ...unknown.map(() => null), ...ids.slice(25)]);
  });

  it('batches the root product fields of one gateway query into one call', async () => {
    const fields = ids.slice(0, 10).map((id, n) => `p${n}: product(id: "${id}") { id }`).join('\n');
    const before = await batchGets();
    const response = await graphql<Record<string, { id: string }>>(system.urls.gateway, `{ ${fields} }`);
    expect(response.errors).toBeUndefined();
    expect(Object.values(response.data!).map((product) => product.id)).toEqual(ids.slice(0, 10));
    expect(await batchGets()).toBe(before + 1);
  });

  it('makes one call per request: batches are never shared between requests', async () => {
    const before = await batchGets();
    await Promise.all(
      [ids.slice(0, 5), ids.slice(5, 10)].map((part) =>
        graphql(`${system.urls.catalog}/graphql`, ENTITIES, { representations: part.map(reference) }),
      ),
    );
    expect(await batchGets()).toBe(before + 2);
  });
});
