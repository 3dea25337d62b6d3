import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

let system: RunningSystem;
beforeAll(async () => {
  system = await startTestSystem('flow-smoke', { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
});
afterAll(() => system?.stop());

it('places, confirms, completes an order and issues rewards', async () => {
  const admin = await tokenFor('admin-1', { admin: true });
  const customer = await tokenFor('customer-9');
  const created = await graphql<{ createProduct: { id: string } }>(
    system.urls.gateway,
    `mutation { createProduct(input: { sku: "FLOW-1", name: "Flow", category: "tests", price: { amount: 12345, currency: "USD" }, stockQuantity: 30 }) { id } }`,
    {},
    { token: admin },
  );
  expect(created.errors).toBeUndefined();
  const productId = created.data!.createProduct.id;
  const placed = await graphql<{ placeOrder: { id: string } }>(
    system.urls.gateway,
    `mutation($p: ID!) { placeOrder(input: { items: [{ productId: $p, quantity: 1 }] }) { id status total { amount } items { productName product { name price { amount } } } } }`,
    { p: productId },
    { token: customer },
  );
  console.log(JSON.stringify(placed));
  const id = placed.data!.placeOrder.id;
  console.log(JSON.stringify(await graphql(system.urls.gateway, `mutation($id: ID!) { confirmOrder(id: $id) { status } }`, { id }, { token: admin })));
  console.log(JSON.stringify(await graphql(system.urls.gateway, `mutation($id: ID!) { completeOrder(id: $id) { status } }`, { id }, { token: admin })));
  await new Promise((r) => setTimeout(r, 1500));
  console.log(JSON.stringify(await graphql(system.urls.gateway, `query($id: ID!) { order(id: $id) { status rewardPoints customer { rewards { balance tier transactions { edges { node { type points order { id } } } } } } } me { orders { edges { node { id status } } } } }`, { id }, { token: customer })));
});
