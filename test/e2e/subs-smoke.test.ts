import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

let system: RunningSystem;
beforeAll(async () => {
  system = await startTestSystem('subs-smoke', { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
});
afterAll(() => system?.stop());

it('streams status changes over graphql-ws and multipart', async () => {
  const admin = await tokenFor('admin-1', { admin: true });
  const customer = await tokenFor('customer-7');
  const created = await graphql<{ createProduct: { id: string } }>(system.urls.gateway, `mutation { createProduct(input: { sku: "SUB-1", name: "Sub", category: "tests", price: { amount: 2000, currency: "USD" }, stockQuantity: 30 }) { id } }`, {}, { token: admin });
  const placed = await graphql<{ placeOrder: { id: string } }>(system.urls.gateway, `mutation($p: ID!) { placeOrder(input: { items: [{ productId: $p, quantity: 2 }] }) { id } }`, { p: created.data!.createProduct.id }, { token: customer });
  const id = placed.data!.placeOrder.id;
  const wsUrl = system.urls.gateway.replace('http', 'ws');
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${customer}` } });
  const received: unknown[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe(
      { query: `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status previousStatus at order { status total { amount } items { product { name } } rewardPoints } } }`, variables: { id } },
      { next: (v) => { received.push(v); if (received.length === 2) resolve(); }, error: reject, complete: () => resolve() },
    );
  });
  const multipart = fetch(system.urls.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec="1.0", application/json', authorization: `Bearer ${customer}` },
    body: JSON.stringify({ query: `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }`, variables: { id } }),
  });
  await new Promise((r) => setTimeout(r, 500));
  await graphql(system.urls.gateway, `mutation($id: ID!) { confirmOrder(id: $id) { status } }`, { id }, { token: admin });
  await graphql(system.urls.gateway, `mutation($id: ID!) { completeOrder(id: $id) { status } }`, { id }, { token: admin });
  await done;
  console.log(JSON.stringify(received));
  const res = await multipart;
  console.log(res.status, res.headers.get('content-type'));
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  console.log(JSON.stringify(new TextDecoder().decode(value)));
  await reader.cancel();
  await client.dispose();
  expect(received).toHaveLength(2);
});
