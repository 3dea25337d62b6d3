import { expect } from '@jest/globals';
import type Redis from 'iovalkey';
import type { ContextName } from '../../lib/config';
import { mapLimit } from '../../lib/async';
import { createDynamoClients } from '../../lib/dynamodb';
import { allPendingOutboxItems, eventStreamKey, type AnyEventEnvelope, type EventType } from '../../lib/events';
import { waitFor } from '../../lib/events/testing/wait-for';
import { eventStreamPrefix, type RunningSystem } from '../../scripts/system';
import { confirmOrder } from '../../subgraphs/orders/application/change-order-status';
import { completeOrder } from '../../subgraphs/orders/application/fulfil-order';
import { placeOrder } from '../../subgraphs/orders/application/place-order';
import type { RewardTransaction } from '../../subgraphs/rewards/domain/reward-transaction';
import { errorCodes, graphql } from './graphql';

export { mapLimit };
import { tokenFor } from './system';

/** Shopping through the real gateway, and the same use cases in-process when a test needs hundreds of orders. */

export const ADMIN_ID = 'admin-1';
export const adminToken = () => tokenFor(ADMIN_ID, { admin: true });
export const ADMIN_CALLER = { sub: ADMIN_ID, roles: ['admin'] } as const;
export const customerCaller = (sub: string) => ({ sub, roles: [] as string[] });

export interface OrderView {
  readonly id: string;
  readonly status: string;
  readonly total: { readonly amount: number; readonly currency: string };
  readonly items: readonly { readonly unitPrice: { readonly amount: number } }[];
}
const ORDER_FIELDS = 'id status total { amount currency } items { unitPrice { amount } }';

function ok<T>(response: { data: T | null | undefined; errors: unknown }, what: string): T {
  if (response.errors || !response.data) throw new Error(`${what} failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

export async function createProduct(gatewayUrl: string, sku: string, priceCents: number, options: { stock?: number; currency?: string } = {}): Promise<string> {
  const response = await graphql<{ createProduct: { id: string } }>(
    gatewayUrl,
    `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
    { input: { sku, name: `Product ${sku}`, category: 'e2e-events', price: { amount: priceCents, currency: options.currency ?? 'USD' }, stockQuantity: options.stock ?? 1000 } },
    { token: await adminToken() },
  );
  return ok(response, 'createProduct').createProduct.id;
}

export async function changePrice(gatewayUrl: string, productId: string, priceCents: number): Promise<void> {
  const response = await graphql(
    gatewayUrl,
    `mutation($id: ID!, $price: MoneyInput!) { changeProductPrice(id: $id, price: $price) { id } }`,
    { id: productId, price: { amount: priceCents, currency: 'USD' } },
    { token: await adminToken() },
  );
  ok(response, 'changeProductPrice');
}

export async function placeOrderVia(gatewayUrl: string, customerToken: string, productId: string, quantity = 1): Promise<OrderView> {
  const response = await graphql<{ placeOrder: OrderView }>(
    gatewayUrl,
    `mutation($p: ID!, $q: Int!) { placeOrder(input: { items: [{ productId: $p, quantity: $q }] }) { ${ORDER_FIELDS} } }`,
    { p: productId, q: quantity },
    { token: customerToken },
  );
  return ok(response, 'placeOrder').placeOrder;
}

export type Transition = 'confirmOrder' | 'completeOrder' | 'cancelOrder';

export async function transitionVia(gatewayUrl: string, token: string, mutation: Transition, orderId: string): Promise<{ status: string } | { code: string | undefined }> {
  const response = await graphql<Record<string, { status: string }>>(gatewayUrl, `mutation($id: ID!) { ${mutation}(id: $id) { status } }`, { id: orderId }, { token });
  if (response.errors) return { code: errorCodes(response)[0] };
  return response.data![mutation]!;
}

/** Places, confirms and completes one order through the gateway; returns it as placed. */
export async function completedOrderVia(gatewayUrl: string, customerToken: string, productId: string, quantity = 1): Promise<OrderView> {
  const order = await placeOrderVia(gatewayUrl, customerToken, productId, quantity);
  const admin = await adminToken();
  expect(await transitionVia(gatewayUrl, admin, 'confirmOrder', order.id)).toEqual({ status: 'CONFIRMED' });
  expect(await transitionVia(gatewayUrl, admin, 'completeOrder', order.id)).toEqual({ status: 'COMPLETED' });
  return order;
}

export async function rewardPointsVia(gatewayUrl: string, token: string, orderId: string): Promise<number | null> {
  const response = await graphql<{ order: { rewardPoints: number | null } }>(gatewayUrl, `query($id: ID!) { order(id: $id) { rewardPoints } }`, { id: orderId }, { token });
  return ok(response, 'order.rewardPoints').order.rewardPoints;
}

export async function waitForRewardPoints(gatewayUrl: string, token: string, orderId: string, timeoutMs = 15_000): Promise<number> {
  let points: number | null = null;
  await waitFor(`reward points for order ${orderId}`, async () => (points = await rewardPointsVia(gatewayUrl, token, orderId)) !== null, timeoutMs, 50);
  return points!;
}

/**
 * `count` orders placed and confirmed in-process through Orders' own use cases (the resolvers' code without
 * HTTP), ready to complete: what the fault tests use to get hundreds of orders quickly.
 */
export async function confirmedOrders(system: RunningSystem, count: number, options: { customerIds: readonly string[]; productId: string }): Promise<{ id: string; customerId: string; total: number }[]> {
  return mapLimit(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
    const customerId = options.customerIds[i % options.customerIds.length]!;
    const order = await placeOrder(system.orders.deps, customerCaller(customerId), { items: [{ productId: options.productId, quantity: 1 + (i % 3) }] });
    await confirmOrder(system.orders.deps, ADMIN_CALLER, order.id);
    return { id: order.id, customerId, total: order.total.amount };
  });
}

export function completeInProcess(system: RunningSystem, orderId: string): Promise<unknown> {
  return completeOrder(system.orders.deps, ADMIN_CALLER, orderId);
}

/** Every ledger entry of a customer, through Rewards' repository (newest first). */
export async function ledgerOf(system: RunningSystem, customerId: string): Promise<RewardTransaction[]> {
  const entries: RewardTransaction[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await system.rewards.deps.rewards.listTransactions(customerId, { first: 100, after });
    entries.push(...page.edges.map((edge) => edge.node));
    if (!page.hasNextPage) return entries;
    after = page.edges.at(-1)!.cursor;
  }
}

/** How many ISSUED ledger entries each order got. */
export async function issuancesPerOrder(system: RunningSystem, customerIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const customerId of customerIds) {
    for (const entry of await ledgerOf(system, customerId)) {
      if (entry.type !== 'ISSUED' || !entry.orderId) continue;
      counts.set(entry.orderId, (counts.get(entry.orderId) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * The distinct events on the Redis stream of one event type of a system, in publish order. Delivery is at least
 * once (the relay's publish after commit and its sweep may both publish a row), so the same envelope can sit on
 * the stream twice; two events with different ids are two facts.
 */
export async function streamEnvelopes<T extends EventType>(redis: Redis, system: RunningSystem, type: T): Promise<Extract<AnyEventEnvelope, { type: T }>[]> {
  const entries = await redis.xrange(eventStreamKey(eventStreamPrefix(system.config), type), '-', '+');
  const seen = new Set<string>();
  const envelopes: Extract<AnyEventEnvelope, { type: T }>[] = [];
  for (const [, fields] of entries) {
    // The signature is the transport's (lib/events/event-signature.ts); callers compare the envelopes themselves.
    const { signature: _signature, ...unsigned } = JSON.parse(fields[fields.indexOf('event') + 1]!) as Record<string, unknown>;
    const envelope = unsigned as unknown as Extract<AnyEventEnvelope, { type: T }>;
    if (seen.has(envelope.id)) continue;
    seen.add(envelope.id);
    envelopes.push(envelope);
  }
  return envelopes;
}

/** The events still waiting in a context's outbox (not yet published, or not yet deleted after publishing). */
export async function pendingOutbox(system: RunningSystem, context: ContextName): Promise<AnyEventEnvelope[]> {
  const dynamo = createDynamoClients(system.config.dynamodb);
  try {
    return (await allPendingOutboxItems(dynamo.doc, system.config.dynamodb.tables[context])).map((item) => JSON.parse(item.event) as AnyEventEnvelope);
  } finally {
    dynamo.client.destroy();
  }
}
