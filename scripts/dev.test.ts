import { type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../lib/process';
import { childrenOf, DEV_READY as READY, isAlive, startDev as startDevRunner, waitForDevReady as waitForReady, waitUntilGone, type DevRun } from '../test/support/dev-runner';
import { graphql } from '../test/support/graphql';
import { testDynamoEndpoint } from '../test/support/services';

/**
 * `npm start` (`node --import tsx scripts/dev.ts`) as a user runs it: a child process with its own ports and
 * DATA_DIR, which spawns DynamoDB Local (Java), redis-server and maildev, seeds the demo catalog once, and stops
 * everything it started on Ctrl-C.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'dev-runner-'));
const started: ChildProcess[] = [];
const grandchildren = new Set<number>();

function startDev(env: Record<string, string>): DevRun {
  const run = startDevRunner({ DATA_DIR: dataDir, ...env });
  started.push(run.child);
  return run;
}

async function catalogSummary(gatewayPort: number): Promise<{ count: number; categories: Set<string> }> {
  const response = await graphql<{ products: { edges: { node: { category: string } }[]; pageInfo: { hasNextPage: boolean } } }>(
    `http://127.0.0.1:${gatewayPort}/graphql`,
    '{ products(first: 100) { edges { node { category } } pageInfo { hasNextPage } } }',
  );
  expect(response.errors).toBeUndefined();
  expect(response.data!.products.pageInfo.hasNextPage).toBe(false);
  const edges = response.data!.products.edges;
  return { count: edges.length, categories: new Set(edges.map((edge) => edge.node.category)) };
}

/** Starts the runner, checks it, stops it with SIGINT; returns what it found. */
async function runOnce(): Promise<{ count: number; categories: Set<string> }> {
  const [gatewayPort, catalogPort, ordersPort, rewardsPort, paymentsPort, shippingPort, notificationsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const run = startDev({
    GATEWAY_PORT: String(gatewayPort),
    CATALOG_PORT: String(catalogPort),
    ORDERS_PORT: String(ordersPort),
    REWARDS_PORT: String(rewardsPort),
    PAYMENTS_PORT: String(paymentsPort),
    SHIPPING_PORT: String(shippingPort),
    NOTIFICATIONS_PORT: String(notificationsPort),
    // Any free ports: on a shared machine another run may hold or take 8000, 6379, 1025, 1080 and 12111 at any moment.
    DYNAMODB_PORT: '0',
    REDIS_PORT: '0',
    SMTP_PORT: '0',
    MAILDEV_WEB_PORT: '0',
    STRIPE_EMULATOR_PORT: '0',
  });
  await waitForReady(run, 150_000);
  expect(run.output()).toContain(`http://localhost:${gatewayPort}/graphql`);
  expect(run.output()).toContain(`Storefront                         http://localhost:${gatewayPort}/`);
  expect(run.output()).toContain(`http://localhost:${gatewayPort}/graphiql`);
  expect(run.output()).toContain(`Shipping subgraph                  http://localhost:${shippingPort}/graphql`);
  expect(run.output()).toContain(`Payments subgraph                  http://localhost:${paymentsPort}/graphql`);
  expect(run.output()).toContain(`Stripe webhook                     http://localhost:${paymentsPort}/webhooks/stripe`);
  // Payments pays through the Stripe emulator the runner started, which answers and knows Payments' webhook.
  const emulator = /Stripe\s+emulator on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1];
  expect(emulator).toBeDefined();
  expect(await (await fetch(`${emulator}/_emulator/webhook_endpoints`)).json()).toEqual({ endpoints: [`http://127.0.0.1:${paymentsPort}/webhooks/stripe`] });
  // The runner built the storefront before starting: the gateway serves it at /.
  const shop = await fetch(`http://127.0.0.1:${gatewayPort}/`);
  expect(shop.status).toBe(200);
  expect(shop.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
  expect(await shop.text()).toContain('<div id="root"></div>');

  const children = childrenOf(run.child.pid!);
  for (const child of children) grandchildren.add(child.pid);
  const java = children.filter((child) => child.command === 'java');
  const redis = children.filter((child) => child.command.startsWith('redis-server'));
  expect(java).toHaveLength(1);
  expect(redis).toHaveLength(1);
  // maildev: its inbox URL in the banner, its REST API answering, the Notifications worker healthy beside it.
  const inbox = /in the inbox at (http:\/\/localhost:(\d+)\/)/.exec(run.output());
  expect(inbox).not.toBeNull();
  const emails = await fetch(`http://127.0.0.1:${inbox![2]}/api/email`);
  expect(emails.status).toBe(200);
  expect(Array.isArray(await emails.json())).toBe(true);
  expect((await fetch(`http://127.0.0.1:${notificationsPort}/health/ready`)).status).toBe(200);
  const maildev = children.filter((child) => child.command === 'node' || child.command === 'MainThread');
  expect(maildev).toHaveLength(1);

  const health = await fetch(`http://127.0.0.1:${catalogPort}/health`);
  expect(health.status).toBe(200);
  const summary = await catalogSummary(gatewayPort);

  run.child.kill('SIGINT');
  expect(await run.exited).toEqual({ code: 0, signal: null });
  expect(await waitUntilGone([...java, ...redis, ...maildev].map((child) => child.pid), 15_000)).toEqual([]);
  return summary;
}

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of grandchildren) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the dev runner', () => {
  it('starts everything, seeds 24 demo products once, and stops its Java, Redis and maildev children on Ctrl-C', async () => {
    const first = await runOnce();
    expect(first.count).toBe(24);
    expect(first.categories.size).toBeGreaterThanOrEqual(3);

    // Same DATA_DIR: the data persisted and seeding skipped every existing SKU.
    const second = await runOnce();
    expect(second.count).toBe(24);
    expect(second.categories).toEqual(first.categories);
  }, 400_000);

  it('refuses to start with a port that is not a number, naming the variable', async () => {
    const run = startDev({ GATEWAY_PORT: 'abc' });
    const { code } = await run.exited;
    expect(code).not.toBe(0);
    expect(run.output()).toContain('GATEWAY_PORT');
    expect(run.output()).toContain('"abc"');
    expect(run.output()).not.toContain(READY);
  }, 60_000);

  it('fails clearly when DYNAMODB_PORT or REDIS_PORT names a port in use, before starting anything', async () => {
    const busy = createServer(() => undefined);
    await new Promise<void>((resolveListen) => busy.listen(0, resolveListen));
    const port = (busy.address() as AddressInfo).port;
    try {
      const dynamo = startDev({ DYNAMODB_PORT: String(port) });
      expect((await dynamo.exited).code).toBe(1);
      expect(dynamo.output()).toContain(`DYNAMODB_PORT=${port}: the port is in use; free it or choose another`);
      expect(dynamo.output()).not.toContain(READY);

      const redis = startDev({ DYNAMODB_ENDPOINT: testDynamoEndpoint(), REDIS_PORT: String(port) });
      expect((await redis.exited).code).toBe(1);
      expect(redis.output()).toContain(`REDIS_PORT=${port}: the port is in use; free it or choose another`);
    } finally {
      busy.close();
    }
  }, 60_000);

  it('refuses to start in production without secrets, naming them', async () => {
    const run = startDev({ NODE_ENV: 'production' });
    const { code } = await run.exited;
    expect(code).not.toBe(0);
    expect(run.output()).toContain('JWT_SECRET');
    expect(run.output()).toContain('GATEWAY_SIGNING_SECRET');
  }, 60_000);
});
