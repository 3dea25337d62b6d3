import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForValue } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import { adminToken, createProduct, placeOrderVia, transitionVia } from '../support/commerce';
import { graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { TEST_SIGNING_SECRET, startTestSystem, tokenFor } from '../support/system';

/**
 * Shipping in the supergraph: Order.shipment is created READY by order.confirmed (over the bus), follows the ship and
 * deliver commands, disappears when a confirmed order is cancelled, is seen only by the order's owner and admins,
 * and is read for every order of a response in one BatchGetItem.
 */

let system: RunningSystem;
let url: string;
let admin: string;
let productId: string;

beforeAll(async () => {
  system = await startTestSystem('shipping-graph', { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  url = system.urls.gateway;
  admin = await adminToken();
  productId = await createProduct(url, 'SHIP-1', 2_500, { stock: 1_000 });
});
afterAll(() => system?.stop());

interface ShipmentView {
  id: string;
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
}

const SHIPMENT = `query($id: ID!) { order(id: $id) { id status shipment { id status carrier trackingNumber trackingUrl shippedAt deliveredAt } } }`;

async function shipmentOf(token: string, orderId: string): Promise<ShipmentView | null> {
  const response = await graphql<{ order: { shipment: ShipmentView | null } }>(url, SHIPMENT, { id: orderId }, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.order.shipment;
}

const waitForShipment = (token: string, orderId: string, status: string) =>
  waitForValue(`the ${status} shipment of ${orderId}`, async () => {
    const shipment = await shipmentOf(token, orderId);
    return shipment?.status === status ? shipment : undefined;
  });

async function command(path: string, body: unknown): Promise<unknown> {
  const route = system.shipping.commands.find((candidate) => candidate.path === path);
  if (!route) throw new Error(`no route ${path}`);
  return route.handle({ params: {}, body, caller: 'orders' });
}

const address = { name: 'Jane Doe', line1: '742 Evergreen Terrace', city: 'Springfield', postalCode: '62704', country: 'US' };

describe('Order.shipment', () => {
  it('is null until the order is confirmed, then READY for the owner and admins, then follows ship and deliver', async () => {
    const token = await tokenFor('sg-customer-1');
    const order = await placeOrderVia(url, token, productId);
    expect(await shipmentOf(token, order.id)).toBeNull();
    expect(await transitionVia(url, admin, 'confirmOrder', order.id)).toEqual({ status: 'CONFIRMED' });

    const ready = await waitForShipment(token, order.id, 'READY');
    expect(ready).toEqual({ id: expect.any(String), status: 'READY', carrier: null, trackingNumber: null, trackingUrl: null, shippedAt: null, deliveredAt: null });
    expect(await shipmentOf(admin, order.id)).toEqual(ready);

    await command('/internal/shipments/ship', { orderId: order.id, customerId: 'sg-customer-1', carrier: 'FedEx', trackingNumber: '449044304137821', address });
    const shipped = await shipmentOf(token, order.id);
    expect(shipped).toEqual({
      id: ready.id,
      status: 'SHIPPED',
      carrier: 'FedEx',
      trackingNumber: '449044304137821',
      trackingUrl: 'https://www.fedex.com/fedextrack/?trknbr=449044304137821',
      shippedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      deliveredAt: null,
    });
    await command('/internal/shipments/deliver', { orderId: order.id });
    expect(await shipmentOf(token, order.id)).toEqual({ ...shipped, status: 'DELIVERED', deliveredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('is null again once a confirmed order is cancelled (the READY shipment is withdrawn)', async () => {
    const token = await tokenFor('sg-customer-2');
    const order = await placeOrderVia(url, token, productId);
    await transitionVia(url, admin, 'confirmOrder', order.id);
    await waitForShipment(token, order.id, 'READY');
    expect(await transitionVia(url, token, 'cancelOrder', order.id)).toEqual({ status: 'CANCELLED' });
    await waitForValue('the withdrawal', async () => ((await shipmentOf(token, order.id)) === null ? true : undefined));
    expect(await shipmentOf(admin, order.id)).toBeNull();
  });

  it('is null for anyone but the owner and admins, even asked of the Shipping subgraph directly', async () => {
    const token = await tokenFor('sg-customer-3');
    const order = await placeOrderVia(url, token, productId);
    await transitionVia(url, admin, 'confirmOrder', order.id);
    await waitForShipment(token, order.id, 'READY');
    const entities = `query($id: ID!) { _entities(representations: [{ __typename: "Order", id: $id }]) { ... on Order { shipment { status } } } }`;
    const asCaller = (sub: string, roles: string[] = []) =>
      graphql<{ _entities: { shipment: { status: string } | null }[] }>(`${system.urls.shipping}/graphql`, entities, { id: order.id }, {
        signedAs: { caller: { sub, roles }, secret: TEST_SIGNING_SECRET },
      });
    expect((await asCaller('sg-customer-3')).data?._entities).toEqual([{ shipment: { status: 'READY' } }]);
    expect((await asCaller('admin-1', ['admin'])).data?._entities).toEqual([{ shipment: { status: 'READY' } }]);
    expect((await asCaller('sg-someone-else')).data?._entities).toEqual([{ shipment: null }]);
    const anonymous = await graphql<{ _entities: unknown[] }>(`${system.urls.shipping}/graphql`, entities, { id: order.id });
    expect(anonymous.data?._entities).toEqual([{ shipment: null }]);
  });

  it('reads the shipments of every order of a response in one BatchGetItem', async () => {
    const token = await tokenFor('sg-customer-many');
    const orders = [];
    for (let i = 0; i < 6; i += 1) orders.push(await placeOrderVia(url, token, productId));
    for (const order of orders.slice(0, 4)) await transitionVia(url, admin, 'confirmOrder', order.id);
    for (const order of orders.slice(0, 4)) await waitForShipment(token, order.id, 'READY');

    const before = await metricValue(system.urls.shipping, 'dynamodb_requests_total', { operation: 'BatchGetItem' });
    const response = await graphql<{ me: { orders: { edges: { node: { id: string; shipment: { status: string } | null } }[] } } }>(
      url,
      `{ me { orders(first: 50) { edges { node { id shipment { status } } } } } }`,
      {},
      { token },
    );
    const after = await metricValue(system.urls.shipping, 'dynamodb_requests_total', { operation: 'BatchGetItem' });
    expect(response.errors).toBeUndefined();
    const byId = new Map(response.data!.me.orders.edges.map((edge) => [edge.node.id, edge.node.shipment?.status ?? null]));
    expect(orders.map((order) => byId.get(order.id))).toEqual(['READY', 'READY', 'READY', 'READY', null, null]);
    expect(after - before).toBe(1);
  });
});
