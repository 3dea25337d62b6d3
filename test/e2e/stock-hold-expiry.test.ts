import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AnyEventEnvelope, Subscription } from '../../lib/events';
import { waitFor } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import { adminToken, createProduct, placeOrderVia } from '../support/commerce';
import { graphql } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Holds no order claims expire (issue 10): with a short STOCK_HOLD_TTL_SECONDS, a hold whose Orders process died
 * between holding and writing the order is released by the Catalog node's sweep, while the hold of an order that was
 * written (claimed by its order.created) is never swept.
 */
/** Short, yet long enough for a placed order's order.created to reach Catalog and claim its hold on a loaded machine. */
const HOLD_TTL_SECONDS = 4;
let system: RunningSystem;
let admin: string;
const released: Extract<AnyEventEnvelope, { type: 'stock.released' }>[] = [];
let observer: Subscription;

beforeAll(async () => {
  system = await startTestSystem('stock-hold-expiry', { env: { STOCK_HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS), STOCK_HOLD_SWEEP_INTERVAL_MS: '200', STOCK_HOLD_TIMEOUT_MS: '20000' } });
  admin = await adminToken();
  observer = await system.bus.subscribe({
    group: 'expiry-observer',
    types: ['stock.released'],
    handle: async (envelope) => {
      if (envelope.type === 'stock.released') released.push(envelope);
    },
  });
});
afterAll(async () => {
  await observer?.close();
  await system?.stop();
});

async function stockOf(productId: string): Promise<{ stockQuantity: number; reservedQuantity: number }> {
  const response = await graphql<{ product: { stockQuantity: number; reservedQuantity: number } }>(
    system.urls.gateway,
    'query ($id: ID!) { product(id: $id) { stockQuantity reservedQuantity } }',
    { id: productId },
    { token: admin },
  );
  return response.data!.product;
}

describe('unclaimed holds', () => {
  it('releases the hold of an order Orders never wrote, and never the hold of a placed order', async () => {
    const productId = await createProduct(system.urls.gateway, `EXP-${randomUUID().slice(0, 8).toUpperCase()}`, 1_000, { stock: 10 });
    const customer = await tokenFor('customer-expiry');
    const placed = await placeOrderVia(system.urls.gateway, customer, productId, 2);
    await waitFor('the placed order to claim its hold', async () => (await system.catalog.deps.holds.findByOrderId(placed.id))?.status === 'CLAIMED', 15_000, 50);

    // Orders holds stock for an order, then dies before writing it: nothing will ever claim this hold.
    const orphanId = randomUUID();
    await system.orders.deps.stock.hold({ orderId: orphanId, customerId: 'customer-expiry', lines: [{ productId, quantity: 3 }] });
    const orphan = (await system.catalog.deps.holds.findByOrderId(orphanId))!;
    expect(orphan.lines.map((line) => [line.productId, line.quantity])).toEqual([[productId, 3]]);
    expect(orphan.expiresAt.getTime() - orphan.heldAt.getTime()).toBe(HOLD_TTL_SECONDS * 1_000);

    await waitFor('the orphaned hold to be released', async () => (await stockOf(productId)).stockQuantity === 8, 15_000, 100);
    expect(await stockOf(productId)).toEqual({ stockQuantity: 8, reservedQuantity: 2 });
    await waitFor('its stock.released event', () => released.some((event) => event.data.orderId === orphanId), 15_000, 50);
    expect(released.find((event) => event.data.orderId === orphanId)!.data).toEqual({ orderId: orphanId, lines: [{ productId, quantity: 3 }], reason: 'expired' });

    // Well past its time to live and after sweeps ran, the placed order's hold is still there, and the order too.
    await system.catalog.holdSweeper.sweep();
    expect(await stockOf(productId)).toEqual({ stockQuantity: 8, reservedQuantity: 2 });
    expect(released.some((event) => event.data.orderId === placed.id)).toBe(false);
    const order = await graphql<{ order: { status: string } }>(system.urls.gateway, 'query ($id: ID!) { order(id: $id) { status } }', { id: placed.id }, { token: customer });
    expect(order.data!.order.status).toBe('PENDING');
    const hold = await system.catalog.deps.holds.findByOrderId(placed.id);
    expect(hold?.status).toBe('CLAIMED');
  });
});
