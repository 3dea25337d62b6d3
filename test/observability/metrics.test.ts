import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { BoundedLabels } from '../../gateway/metrics/operation-metrics';
import { EventMetricsByService, MemoryEventBus } from '../../lib/events';
import { sampleEnvelope, TEST_EVENT_SIGNING_SECRET } from '../../lib/events/testing/fixtures';
import { createLogger } from '../../lib/logging';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { sampleSum } from '../support/metrics';
import { changeStatus, createProduct, placeOrder, Recorded, WATCH_ORDER, wsClient } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Each metric of "Operating it" on the real system, read from `GET /metrics` as Prometheus scrapes it, with exact
 * values after known actions (differences from a reading taken just before, so the tests do not depend on order).
 * The relays only publish when told (no publish right after commit), so outbox figures are known.
 */

let system: RunningSystem;
let admin: string;
let customer: string;

beforeAll(async () => {
  system = await startTestSystem('metrics', { relay: { publishAfterCommit: false, sweepIntervalMs: 3_600_000, minAgeMs: 0 } });
  admin = await tokenFor('metrics-admin', { admin: true });
  customer = await tokenFor('metrics-customer');
});
afterAll(() => system?.stop());

const metricsOf = async (baseUrl: string) => (await fetch(`${baseUrl}/metrics`)).text();
const read = async (baseUrl: string, name: string, labels: Record<string, string> = {}) => sampleSum(await metricsOf(baseUrl), name, labels);
const gatewayBase = () => system.gateway.http.url;

/** Runs `action` and returns how much each named sample changed on `baseUrl`'s /metrics. */
async function deltas(baseUrl: string, samples: Record<string, [string, Record<string, string>]>, action: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await metricsOf(baseUrl);
  await action();
  const after = await metricsOf(baseUrl);
  return Object.fromEntries(Object.entries(samples).map(([key, [name, labels]]) => [key, sampleSum(after, name, labels) - sampleSum(before, name, labels)]));
}

describe('gateway operations', () => {
  it('counts and times each operation by name, type and outcome, collapsing anonymous and unresolvable ones', async () => {
    const op = (operation: string, type: string, outcome: string) => ['graphql_operation_duration_seconds_count', { operation, type, outcome }] as [string, Record<string, string>];
    const changed = await deltas(
      gatewayBase(),
      {
        named: op('MetricsProducts', 'query', 'success'),
        anonymous: op('anonymous', 'query', 'success'),
        unknown: op('unknown', 'unknown', 'rejected'),
        failed: op('MetricsMe', 'query', 'error'),
        mutation: op('MetricsRedeem', 'mutation', 'error'),
        catalogFetches: ['gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'catalog', outcome: 'success' }],
        ordersErrors: ['gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'orders', outcome: 'error' }],
        rewardsErrors: ['gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'rewards', outcome: 'error' }],
      },
      async () => {
        for (let i = 0; i < 2; i += 1) expect((await graphql(system.urls.gateway, 'query MetricsProducts { products(first: 1) { edges { cursor } } }')).errors).toBeUndefined();
        expect((await graphql(system.urls.gateway, '{ products(first: 1) { edges { cursor } } }')).errors).toBeUndefined();
        expect((await graphql(system.urls.gateway, 'query Broken { products(')).status).toBe(400);
        // Executed, with an error: the anonymous caller has no `me`.
        expect((await graphql(system.urls.gateway, 'query MetricsMe { me { id } }')).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
        expect((await graphql(system.urls.gateway, 'mutation MetricsRedeem { redeemPoints(points: 5) { balance } }', {}, { token: customer })).errors?.[0]?.extensions?.['code']).toBe(
          'INSUFFICIENT_POINTS',
        );
      },
    );
    // The second MetricsProducts is answered from the gateway's response cache: two Catalog fetches for three queries.
    expect(changed).toEqual({ named: 2, anonymous: 1, unknown: 1, failed: 1, mutation: 1, catalogFetches: 2, ordersErrors: 1, rewardsErrors: 1 });
  });

  it('gives the first names their own label and counts any later one as "other"', () => {
    const labels = new BoundedLabels(2);
    expect(['A', 'B', 'A', 'C', 'D', 'B'].map((name) => labels.label(name))).toEqual(['A', 'B', 'A', 'other', 'other', 'B']);
  });

  it('has a rate-limit rejection counter for the rate limiter to increment', async () => {
    const changed = await deltas(gatewayBase(), { ip: ['gateway_rate_limit_rejections_total', { limit: 'ip' }] }, async () => {
      system.gateway.metrics.rateLimitRejections.inc({ limit: 'ip' });
      system.gateway.metrics.rateLimitRejections.inc({ limit: 'ip' });
    });
    expect(changed).toEqual({ ip: 2 });
    expect(await metricsOf(gatewayBase())).toContain('# TYPE gateway_rate_limit_rejections_total counter');
  });
});

describe('subscriptions', () => {
  it('counts active subscriptions and WebSocket connections while they are open', async () => {
    const productId = await createProduct(system.urls.gateway, admin, { name: 'Gauge', amount: 1000 });
    const orderId = await placeOrder(system.urls.gateway, customer, [{ productId, quantity: 1 }]);
    const gauges = async () => ({
      subscriptions: await read(gatewayBase(), 'gateway_subscriptions_active'),
      connections: await read(gatewayBase(), 'gateway_websocket_connections'),
    });
    expect(await gauges()).toEqual({ subscriptions: 0, connections: 0 });
    const client = wsClient(system.urls.gateway, customer);
    const first = new Recorded(client, WATCH_ORDER, { id: orderId });
    const second = new Recorded(client, WATCH_ORDER, { id: orderId });
    await waitFor('two subscriptions on one connection', async () => (await gauges()).subscriptions === 2);
    expect(await gauges()).toEqual({ subscriptions: 2, connections: 1 });
    first.stop();
    await waitFor('one subscription left', async () => (await gauges()).subscriptions === 1);
    second.stop();
    await client.dispose();
    await waitFor('nothing open', async () => {
      const now = await gauges();
      return now.subscriptions === 0 && now.connections === 0;
    });
  });
});

describe('outbox and consumers', () => {
  it('reports the pending events and the age of the oldest per context until the relay publishes them, then what consumers did', async () => {
    const catalog = system.urls.catalog;
    await system.relays.catalog.sweep();
    await waitFor('an empty catalog outbox', async () => (await read(catalog, 'outbox_pending_events', { context: 'catalog' })) === 0);
    expect(await read(catalog, 'outbox_oldest_pending_age_seconds', { context: 'catalog' })).toBe(0);

    const productId = await createProduct(system.urls.gateway, admin, { name: 'Outbox', amount: 2500 });
    await waitFor('one pending product.created', async () => (await read(catalog, 'outbox_pending_events', { context: 'catalog' })) === 1);
    const age = await read(catalog, 'outbox_oldest_pending_age_seconds', { context: 'catalog' });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);

    const published = await deltas(catalog, { created: ['events_published_total', { type: 'product.created', transport: 'memory' }] }, () => system.relays.catalog.sweep());
    expect(published).toEqual({ created: 1 });
    await waitFor('the catalog outbox empty again', async () => (await read(catalog, 'outbox_pending_events', { context: 'catalog' })) === 0);

    // An order completed: its events wait in Orders' outbox until the sweep, then Rewards and the gateway consume them.
    await system.relays.orders.sweep();
    await waitFor('an empty orders outbox', async () => (await read(system.urls.orders, 'outbox_pending_events', { context: 'orders' })) === 0);
    const orderId = await placeOrder(system.urls.gateway, customer, [{ productId, quantity: 2 }]);
    await changeStatus(system.urls.gateway, admin, 'confirmOrder', orderId);
    await changeStatus(system.urls.gateway, admin, 'completeOrder', orderId);
    await waitFor('three pending order events', async () => (await read(system.urls.orders, 'outbox_pending_events', { context: 'orders' })) === 3);
    const handled = (group: string) => ['events_delivered_total', { group, type: 'order.completed', outcome: 'handled' }] as [string, Record<string, string>];
    const ran = (group: string) => ['events_handler_duration_seconds_count', { group, type: 'order.completed', outcome: 'success' }] as [string, Record<string, string>];
    const before = { rewards: await metricsOf(system.urls.rewards), gateway: await metricsOf(gatewayBase()) };
    await system.relays.orders.sweep();
    await waitFor('Rewards handled order.completed', async () => sampleSum(await metricsOf(system.urls.rewards), ...handled('rewards')) - sampleSum(before.rewards, ...handled('rewards')) === 1);
    await waitFor('the gateway handled order.completed', async () => sampleSum(await metricsOf(gatewayBase()), ...handled('gateway')) - sampleSum(before.gateway, ...handled('gateway')) === 1);
    expect(sampleSum(await metricsOf(system.urls.rewards), ...ran('rewards')) - sampleSum(before.rewards, ...ran('rewards'))).toBe(1);
    expect(await read(system.urls.rewards, 'events_delivered_total', { outcome: 'dead_lettered' })).toBe(0);
    // Deliveries are counted by the consuming service only.
    expect(await read(system.urls.orders, 'events_delivered_total', { group: 'rewards' })).toBe(0);
    await waitFor('the orders outbox empty', async () => (await read(system.urls.orders, 'outbox_pending_events', { context: 'orders' })) === 0);
  }, 60_000);
});

describe('EventMetricsByService', () => {
  it('reports failed and dead-lettered deliveries to the consuming service, publications to the source', async () => {
    const registries = { orders: new Registry(), rewards: new Registry() };
    const metrics = new EventMetricsByService();
    metrics.register('orders', registries.orders);
    metrics.register('rewards', registries.rewards);
    const bus = new MemoryEventBus({ logger: createLogger({ service: 'test', level: 'silent' }), metrics, signingSecret: TEST_EVENT_SIGNING_SECRET, maxAttempts: 2, retryBackoff: { initialMs: 1, maxMs: 1 } });
    let attempts = 0;
    await bus.subscribe({
      group: 'rewards',
      types: ['order.completed'],
      handle: async () => {
        attempts += 1;
        throw new Error('the ledger is down');
      },
    });
    try {
      await bus.publish([sampleEnvelope('order.completed')]);
      await waitFor('the event dead-lettered', async () => (await bus.deadLetters('rewards')).length === 1);
      const rewards = await registries.rewards.metrics();
      expect(attempts).toBe(2);
      expect(sampleSum(rewards, 'events_handler_duration_seconds_count', { group: 'rewards', outcome: 'failure' })).toBe(2);
      expect(sampleSum(rewards, 'events_delivered_total', { group: 'rewards', outcome: 'retried' })).toBe(1);
      expect(sampleSum(rewards, 'events_delivered_total', { group: 'rewards', outcome: 'dead_lettered' })).toBe(1);
      expect(sampleSum(rewards, 'events_published_total')).toBe(0);
      const orders = await registries.orders.metrics();
      expect(sampleSum(orders, 'events_published_total', { type: 'order.completed', transport: 'memory' })).toBe(1);
      expect(sampleSum(orders, 'events_delivered_total')).toBe(0);
    } finally {
      await bus.close();
    }
  });
});
