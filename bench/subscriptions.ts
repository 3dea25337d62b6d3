/**
 * Order-status subscriptions through the gateway: 1,000 concurrent graphql-ws subscribers spread over 100 orders
 * (10 each, the orders' owners), each selecting the issue's example fields from all three subgraphs. Measures the
 * latency from the status-changing mutation returning to each subscriber receiving its update (p50/p99), the
 * gateway process's heap per subscriber, and the heap growth over 1,000 subscribe/disconnect cycles. Runs with
 * Redis (Redis Streams events, Redis pub/sub feed: what `npm start` uses when Redis is there) and without it
 * (in-process events and feed). Starts its own DynamoDB Local and redis-server, and stops them.
 *
 *   npm run bench -- subscriptions
 *
 * The subscribers live in a child process (bench/subscription-clients.ts), which also sends the mutations, so both
 * ends of each latency are read on one clock and the system's process holds only the system.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { signDevToken } from '../lib/auth';
import type { AppConfig } from '../lib/config';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { startRedisServer } from '../lib/redis';
import { RedisOrderStatusFeed } from '../gateway/subscriptions/order-status-feed';
import { startSystem, type RunningSystem } from '../scripts/system';
import { createProduct } from '../subgraphs/catalog/application/create-product';
import { placeOrder } from '../subgraphs/orders/application/place-order';
import type { ClientCommand, ClientReply, Subscriber } from './subscription-clients';
import { BENCH_ADMIN, BENCH_JWT_SECRET, benchConfig } from './support/system-env';
import { table, targetsSection, type BenchReport, type Target } from './support/bench';
import { summarize, type LatencySummary } from './support/percentiles';

const ORDERS = 100;
const SUBSCRIBERS_PER_ORDER = 10;
const SUBSCRIBERS = ORDERS * SUBSCRIBERS_PER_ORDER;
const WARMUP_ORDERS = 5;
const CYCLES = 1000;
const WARMUP_CYCLES = 200;
/** Mutations in flight at once in the burst round. */
const BURST_CONCURRENCY = 20;
const MiB = 1024 * 1024;

/** The example selection (docs/architecture.md §2). */
const WATCH_ORDER = `subscription Watch($id: ID!) {
  orderStatusChanged(orderId: $id) { status previousStatus at order { status total { amount } items { product { name } } rewardPoints } }
}`;

type Setup = 'redis' | 'memory';

interface SetupFigures {
  /** Each order confirmed on its own, the next once all its subscribers have the update. */
  readonly oneAtATime: LatencySummary;
  /** Every order completed with BURST_CONCURRENCY mutations in flight. */
  readonly burst: LatencySummary;
  /** Updates that arrived before the client had read the mutation's response (counted as 0 ms). */
  readonly arrivedFirst: number;
  readonly heapPerSubscriberBytes: number;
  readonly externalPerSubscriberBytes: number;
  readonly cycleHeapGrowthBytes: number;
  readonly afterCycles: { readonly listeners: number; readonly orders: number; readonly redisSubscriptions: number; readonly sockets: number };
}

export async function run(): Promise<BenchReport> {
  const gc = forcedGc();
  const started: { stop(): Promise<void> }[] = [];
  try {
    const [dynamo, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
    started.push(dynamo, redis);
    const config = (setup: Setup): AppConfig =>
      benchConfig({ dynamoEndpoint: dynamo.endpoint, tablePrefix: `bench-subscriptions-${setup}-`, eventBus: setup, redisUrl: redis.url });

    const figures: Partial<Record<Setup, SetupFigures>> = {};
    for (const setup of ['redis', 'memory'] as const) figures[setup] = await measure(config(setup), gc);
    const r = figures.redis!;
    const m = figures.memory!;

    const ms = (us: number) => (us / 1000).toFixed(1);
    const kib = (bytes: number) => (bytes / 1024).toFixed(1);
    const targets: Target[] = [
      { what: 'Redis: mutation returned -> update received, p99 (one change at a time)', target: '< 50 ms', measured: `${ms(r.oneAtATime.p99Us)} ms`, met: r.oneAtATime.p99Us < 50_000 },
      { what: 'In-process: same, p99', target: '< 50 ms', measured: `${ms(m.oneAtATime.p99Us)} ms`, met: m.oneAtATime.p99Us < 50_000 },
      ...(['redis', 'memory'] as const).map((setup) => ({
        what: `${setup}: heap growth over ${CYCLES} subscribe/disconnect cycles`,
        target: '< 10 MB',
        measured: `${(figures[setup]!.cycleHeapGrowthBytes / MiB).toFixed(2)} MiB`,
        met: figures[setup]!.cycleHeapGrowthBytes < 10 * MiB,
      })),
      ...(['redis', 'memory'] as const).map((setup) => {
        const after = figures[setup]!.afterCycles;
        return {
          what: `${setup}: listeners / watched orders / Redis subscriptions / sockets after the cycles`,
          target: '0 / 0 / 0 / 0',
          measured: `${after.listeners} / ${after.orders} / ${after.redisSubscriptions} / ${after.sockets}`,
          met: after.listeners === 0 && after.orders === 0 && after.redisSubscriptions === 0 && after.sockets === 0,
        };
      }),
    ];
    const summary = [
      `${SUBSCRIBERS} graphql-ws subscribers (one socket each) over ${ORDERS} orders, ${SUBSCRIBERS_PER_ORDER} per order, selecting`,
      'status previousStatus at order { status total { amount } items { product { name } } rewardPoints } (Orders, Catalog, Rewards).',
      'Latency: from the mutation response being read by the client process to each subscriber socket receiving the update.',
      table(
        ['setup', 'round', 'updates', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
        (['redis', 'memory'] as const).flatMap((setup) => {
          const f = figures[setup]!;
          return [
            [setup, 'confirm, one order at a time', String(f.oneAtATime.count), ms(f.oneAtATime.p50Us), ms(f.oneAtATime.p90Us), ms(f.oneAtATime.p99Us), ms(f.oneAtATime.maxUs)],
            [setup, `complete, ${BURST_CONCURRENCY} orders at once`, String(f.burst.count), ms(f.burst.p50Us), ms(f.burst.p90Us), ms(f.burst.p99Us), ms(f.burst.maxUs)],
          ];
        }),
      ),
      '',
      `Gateway process heap (after forced GC), with ${SUBSCRIBERS} subscribers connected minus before, and growth over ${CYCLES} cycles`,
      `(connect, subscribe, query on the same socket, close; after ${WARMUP_CYCLES} warm-up cycles):`,
      table(
        ['setup', 'heap/subscriber KiB', 'external/subscriber KiB', 'cycle heap growth MiB', 'updates before response'],
        (['redis', 'memory'] as const).map((setup) => {
          const f = figures[setup]!;
          return [setup, kib(f.heapPerSubscriberBytes), kib(f.externalPerSubscriberBytes), (f.cycleHeapGrowthBytes / MiB).toFixed(2), String(f.arrivedFirst)];
        }),
      ),
      '',
      targetsSection(targets),
    ].join('\n');
    return {
      summary,
      data: {
        config: { orders: ORDERS, subscribersPerOrder: SUBSCRIBERS_PER_ORDER, burstConcurrency: BURST_CONCURRENCY, cycles: CYCLES, warmupCycles: WARMUP_CYCLES },
        redis: r,
        memory: m,
        targets,
      },
    };
  } finally {
    for (const service of started.reverse()) await service.stop();
  }
}

/** A full garbage collection on demand: `node --expose-gc`'s `gc`, or the same function enabled at run time. */
function forcedGc(): () => Promise<void> {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  const collect = gc;
  return async () => {
    // Twice, with a turn of the event loop between: finalizers and weak callbacks free more on the second pass.
    for (let i = 0; i < 3; i += 1) {
      collect();
      await new Promise((resolveTurn) => setImmediate(resolveTurn));
    }
  };
}

async function measure(config: AppConfig, gc: () => Promise<void>): Promise<SetupFigures> {
  const system = await startSystem(config, { notifications: false });
  const clients = new Clients();
  try {
    const product = await createProduct(system.catalog.deps, BENCH_ADMIN, {
      sku: 'BENCH-SUBSCRIPTIONS-1',
      name: 'Bench Lamp',
      description: 'A product of the subscriptions benchmark',
      category: 'Bench',
      price: { amount: 4_999, currency: 'USD' },
      stockQuantity: 1_000_000,
    });
    // One customer per order: each order's 10 subscribers are its owner on 10 sockets.
    const orders: Subscriber[] = [];
    for (let n = 0; n < ORDERS + WARMUP_ORDERS; n += 1) {
      const caller = { sub: `bench-subscriber-${n}`, roles: [] };
      const order = await placeOrder(system.orders.deps, caller, { items: [{ productId: product.id, quantity: 1 }] });
      orders.push({ orderId: order.id, token: await signDevToken({ ...caller, ttlSeconds: 3600 }, BENCH_JWT_SECRET) });
    }
    const adminToken = await signDevToken({ ...BENCH_ADMIN, ttlSeconds: 3600 }, BENCH_JWT_SECRET);
    const wsUrl = system.urls.gateway.replace(/^http/, 'ws');
    const warmup = orders.slice(ORDERS);
    const measured = orders.slice(0, ORDERS);
    const change = (mutation: 'confirmOrder' | 'completeOrder', status: string, orderIds: string[], concurrency: number) =>
      clients.send({ type: 'change', httpUrl: system.urls.gateway, adminToken, mutation, status, orderIds, concurrency });

    // Warm-up: the whole path once (JIT, connection pools, query plans), then nothing held.
    await subscribeAll(system, clients, wsUrl, warmup.flatMap((s) => Array.from({ length: SUBSCRIBERS_PER_ORDER }, () => s)));
    await change('confirmOrder', 'CONFIRMED', warmup.map((s) => s.orderId), 1);
    await clients.send({ type: 'disconnect' });
    await released(system);

    await gc();
    const before = process.memoryUsage();
    await subscribeAll(system, clients, wsUrl, measured.flatMap((s) => Array.from({ length: SUBSCRIBERS_PER_ORDER }, () => s)));
    await gc();
    const connected = process.memoryUsage();

    const oneAtATime = await change('confirmOrder', 'CONFIRMED', measured.map((s) => s.orderId), 1);
    const burst = await change('completeOrder', 'COMPLETED', measured.map((s) => s.orderId), BURST_CONCURRENCY);
    if (oneAtATime.type !== 'changed' || burst.type !== 'changed') throw new Error('unexpected reply');
    if (oneAtATime.errors + burst.errors > 0) throw new Error(`${oneAtATime.errors + burst.errors} updates carried errors`);
    await clients.send({ type: 'disconnect' });
    await released(system);

    // Subscribe/disconnect cycles on the (now completed) orders: after a warm-up, heap before and after.
    await clients.send({ type: 'cycles', wsUrl, query: WATCH_ORDER, subscribers: measured, count: WARMUP_CYCLES, concurrency: 20 });
    await released(system);
    await gc();
    const beforeCycles = process.memoryUsage().heapUsed;
    await clients.send({ type: 'cycles', wsUrl, query: WATCH_ORDER, subscribers: measured, count: CYCLES, concurrency: 20 });
    const afterCycles = await released(system);
    await gc();
    const cycleHeapGrowthBytes = process.memoryUsage().heapUsed - beforeCycles;

    const latencies = [...oneAtATime.latenciesMs, ...burst.latenciesMs];
    const toNs = (values: number[]) => Float64Array.from(values, (value) => Math.max(0, value) * 1e6);
    return {
      oneAtATime: summarize(toNs(oneAtATime.latenciesMs)),
      burst: summarize(toNs(burst.latenciesMs)),
      arrivedFirst: latencies.filter((value) => value < 0).length,
      heapPerSubscriberBytes: Math.round((connected.heapUsed - before.heapUsed) / SUBSCRIBERS),
      externalPerSubscriberBytes: Math.round((connected.external - before.external) / SUBSCRIBERS),
      cycleHeapGrowthBytes,
      afterCycles,
    };
  } finally {
    await clients.close();
    await system.stop();
  }
}

/** Connects the subscribers and waits until every one is set up: listener registered and access checked. */
async function subscribeAll(system: RunningSystem, clients: Clients, wsUrl: string, subscribers: Subscriber[]): Promise<void> {
  const checksBefore = await accessChecks(system);
  await clients.send({ type: 'connect', wsUrl, query: WATCH_ORDER, subscribers });
  // Each subscription runs one access check through the gateway (identical ones may share one Orders request):
  // all of them answered means all are live.
  await until(`${subscribers.length} access checks`, async () => (await accessChecks(system)) >= checksBefore + subscribers.length);
  await until(`${subscribers.length} listeners`, async () => system.gateway.feed.stats().listeners === subscribers.length);
}

/** Waits until the gateway holds nothing for subscriptions, and returns what it holds. */
async function released(system: RunningSystem): Promise<SetupFigures['afterCycles']> {
  const held = async () => ({
    ...system.gateway.feed.stats(),
    listeners: system.gateway.feed.stats().listeners,
    redisSubscriptions: system.gateway.feed instanceof RedisOrderStatusFeed ? await system.gateway.feed.redisSubscriptionCount() : 0,
    sockets: system.gateway.websocket.connections(),
  });
  await until('the gateway to release every subscription', async () => {
    const now = await held();
    return now.listeners === 0 && now.orders === 0 && now.redisSubscriptions === 0 && now.sockets === 0;
  }).catch(() => undefined);
  return held();
}

/** Subscription access checks the gateway has answered (its operation metric, read in this process). */
async function accessChecks(system: RunningSystem): Promise<number> {
  const exposition = await system.gateway.registry.metrics();
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('graphql_operation_duration_seconds_count{') && line.includes('operation="OrderStatusChangedAccess"')) sum += Number(line.split(' ').pop());
  }
  return sum;
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 20));
  }
}

/** The subscriber process: one command at a time, each answered by one reply. */
class Clients {
  private readonly child: ChildProcess = fork(resolve(__dirname, 'subscription-clients.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

  send(command: ClientCommand): Promise<ClientReply> {
    return new Promise((resolveReply, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the subscriber process exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply: ClientReply) => {
        this.child.off('exit', onExit);
        if (reply.type === 'failed') reject(new Error(`subscriber process: ${reply.message}`));
        else resolveReply(reply);
      });
      this.child.send(command);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise((resolveExit) => this.child.once('exit', resolveExit));
    this.child.send({ type: 'exit' } satisfies ClientCommand);
    await Promise.race([exited, new Promise((resolveWait) => setTimeout(resolveWait, 5000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}
