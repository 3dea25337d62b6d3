import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import type Redis from 'iovalkey';
import { orderStatusChannelPrefix } from '../../gateway/subscriptions/create-feed';
import { createRedisClient } from '../../lib/redis';
import { freePort, stopChild } from '../../lib/process';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { testRedisUrl } from '../support/services';
import { CreatedOrders, Recorded, WATCH_ORDER, createProduct, wsClient } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, testEnv, tokenFor } from '../support/system';

/**
 * GATEWAY_WORKERS=2: the standalone gateway (scripts/run-service.ts) as a cluster of two processes on one port, over
 * subgraphs publishing to Redis Streams. Subscribers spread over both workers all get every update, and a price
 * change reaches the response cache of both.
 */

const ROOT = resolve(__dirname, '../..');
let system: RunningSystem;
let cluster: ChildProcess;
let clusterUrl: string;
let output = '';
let redis: Redis;
const clients: Client[] = [];

beforeAll(async () => {
  const env = { REDIS_URL: testRedisUrl(), EVENT_BUS: 'redis' };
  system = await startTestSystem('gw-workers', { env, relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  redis = createRedisClient(testRedisUrl());
  const port = await freePort();
  clusterUrl = `http://127.0.0.1:${port}/graphql`;
  cluster = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'scripts/run-service.ts'), 'gateway'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...testEnv('gw-workers', env),
      // The same deployment as the system: its namespace, its subgraphs.
      TABLE_PREFIX: system.config.namespace,
      GATEWAY_PORT: String(port),
      CATALOG_URL: `${system.urls.catalog}/graphql`,
      ORDERS_URL: `${system.urls.orders}/graphql`,
      REWARDS_URL: `${system.urls.rewards}/graphql`,
      PAYMENTS_URL: `${system.urls.payments}/graphql`,
      GATEWAY_WORKERS: '2',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cluster.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cluster.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // The primary says so once every worker listens (before that, connections go to the workers that do).
  await waitFor(
    'both gateway workers to listen',
    () => {
      if (cluster.exitCode !== null) throw new Error(`the clustered gateway exited:\n${output}`);
      return output.includes('gateway workers are listening');
    },
    90_000,
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  if (cluster) await stopChild(cluster, 10_000);
  await system?.stop();
  await redis?.quit();
});

/** Node processes the cluster's primary has forked (from /proc: their parent is the primary; tsx's esbuild aside). */
function workerProcesses(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (command === 'node' && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === cluster.pid) count += 1;
    } catch {
      // gone meanwhile
    }
  }
  return count;
}

/** A query on a new connection, so successive calls land on alternating workers. */
function queryOnNewConnection<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  return new Promise((resolveQuery, reject) => {
    const body = JSON.stringify({ query, variables });
    const req = request(clusterUrl, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolveQuery(JSON.parse(text) as T));
    });
    req.on('error', reject);
    req.end(body);
  });
}

it('runs two worker processes under one primary', () => {
  expect(workerProcesses()).toBe(2);
});

it('delivers every status change to subscribers on both workers', async () => {
  const admin = await tokenFor('admin-workers', { admin: true });
  const customer = await tokenFor('customer-workers');
  const orders = await CreatedOrders.start(system);
  const productId = await createProduct(system.urls.gateway, admin, { name: 'Cluster Lantern', amount: 4_200 });
  const orderId = await orders.place(customer, [{ productId, quantity: 2 }]);
  await orders.close();

  // Four sockets: the primary hands connections to the workers in turn, so both workers hold subscribers.
  const recorded = Array.from({ length: 4 }, () => {
    const client = wsClient(clusterUrl, customer);
    clients.push(client);
    return new Recorded(client, WATCH_ORDER, { id: orderId });
  });
  // Each worker subscribes to the order's Redis channel once it holds a subscriber of it: two means both do.
  await waitFor('subscribers on both workers', async () => {
    const [, count] = (await redis.pubsub('NUMSUB', `${orderStatusChannelPrefix(system.config)}${orderId}`)) as [string, number];
    return Number(count) === 2;
  });

  const confirmed = await graphql(clusterUrl, 'mutation ($id: ID!) { confirmOrder(id: $id) { status } }', { id: orderId }, { token: admin });
  expect(confirmed.errors).toBeUndefined();
  for (const subscription of recorded) {
    await waitFor('the update on every socket', () => subscription.results.length === 1, 15_000);
    expect(subscription.results[0]).toEqual({
      data: {
        orderStatusChanged: {
          status: 'CONFIRMED',
          previousStatus: 'PENDING',
          at: expect.any(String),
          order: { status: 'CONFIRMED', total: { amount: 8_400 }, items: [{ product: { name: 'Cluster Lantern' } }], rewardPoints: null },
        },
      },
    });
  }
});

it('drops a changed price from the cache of both workers within 1 s', async () => {
  const admin = await tokenFor('admin-workers', { admin: true });
  const productId = await createProduct(system.urls.gateway, admin, { name: 'Cluster Kettle', amount: 1_500 });
  const query = 'query ($id: ID!) { product(id: $id) { price { amount } } }';
  type Price = { data?: { product: { price: { amount: number } } } };
  const both = async () => [(await queryOnNewConnection<Price>(query, { id: productId })).data?.product.price.amount, (await queryOnNewConnection<Price>(query, { id: productId })).data?.product.price.amount];
  await waitFor('the price in both workers', async () => (await both()).every((amount) => amount === 1_500));

  const changed = await graphql(system.urls.gateway, 'mutation ($id: ID!, $price: MoneyInput!) { changeProductPrice(id: $id, price: $price) { id } }', { id: productId, price: { amount: 1_750, currency: 'USD' } }, { token: admin });
  expect(changed.errors).toBeUndefined();
  const changedAt = performance.now();
  let seenAfterMs = Number.POSITIVE_INFINITY;
  await waitFor('the new price from both workers', async () => {
    if (!(await both()).every((amount) => amount === 1_750)) return false;
    seenAfterMs = performance.now() - changedAt;
    return true;
  });
  expect(seenAfterMs).toBeLessThan(1_000);
});
