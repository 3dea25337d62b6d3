import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

let system: RunningSystem;
beforeAll(async () => {
  system = await startTestSystem('smoke');
});
afterAll(() => system?.stop());

it('creates and reads a product through the gateway', async () => {
  const admin = await tokenFor('admin-1', { admin: true });
  const created = await graphql<{ createProduct: { id: string } }>(
    system.urls.gateway,
    `mutation { createProduct(input: { sku: "SMOKE-1", name: "Smoke", category: "tests", price: { amount: 100, currency: "USD" }, stockQuantity: 3 }) { id sku price { amount currency } inStock createdAt } }`,
    {},
    { token: admin },
  );
  console.log(JSON.stringify(created));
  expect(created.errors).toBeUndefined();
  const read = await graphql(system.urls.gateway, `query($id: ID!) { product(id: $id) { id name } products(first: 5) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }`, { id: created.data!.createProduct.id });
  console.log(JSON.stringify(read));
});
