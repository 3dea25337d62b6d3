/**
 * Domain events end to end: latency from `completeOrder` returning (through the gateway) to the order's reward
 * being readable in Rewards, for the in-process and the Redis Streams transports; and the outbox relay's
 * throughput. Starts its own DynamoDB Local and redis-server, and stops them.
 *
 *   npm run bench -- events
 */
import { loadavg } from 'node:os';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { signDevToken } from '../lib/auth';
import type { AppConfig, EventBusKind } from '../lib/config';
import { createDynamoClients, ensureTable } from '../lib/dynamodb';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { OutboxRelay, createEventBus, outboxItem, type AnyEventEnvelope } from '../lib/events';
import { sampleEnvelope } from '../lib/events/testing/fixtures';
import { createLogger } from '../lib/logging';
import { startRedisServer } from '../lib/redis';
import { startSystem, type RunningSystem } from '../scripts/system';
import { createProduct } from '../subgraphs/catalog/application/create-product';
import { confirmOrder } from '../subgraphs/orders/application/change-order-status';
import { placeOrder } from '../subgraphs/orders/application/place-order';
import { ordersTable } from '../subgraphs/orders/infrastructure/orders-table';
import { BENCH_ADMIN, BENCH_JWT_SECRET, benchConfig } from './support/system-env';
import { table, targetsSection, type BenchReport, type Target } from './support/bench';
import { summarize, type LatencySummary } from './support/percentiles';

const ORDERS = 500;
const WARMUP_ORDERS = 25;
/** How often the reward is looked for: the resolution of the measurement. */
const POLL_MS = 1;
const RELAY_EVENTS = 5_000;

type Transport = Extract<EventBusKind, 'memory' | 'redis'>;

export async function run(): Promise<BenchReport> {
  const started: { stop(): Promise<void> }[] = [];
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const loadAfter = () => loadavg().map((n) => n.toFixed(2)).join(' ');
  try {
    const redis = await startRedisServer();
    started.push(redis);
    const env = (dynamoEndpoint: string, transport: Transport, label: string): AppConfig =>
      benchConfig({ dynamoEndpoint, tablePrefix: `bench-${label}-${transport}-`, eventBus: transport, redisUrl: redis.url });
    // Each measurement gets a fresh in-memory DynamoDB Local: it slows down as it fills, which would favour
    // whichever transport runs first.
    const withFreshDynamo = async <T>(measure: (endpoint: string) => Promise<T>): Promise<T> => {
      const dynamo = await startDynamoDbLocal();
      try {
        return await measure(dynamo.endpoint);
      } finally {
        await dynamo.stop();
      }
    };

    const latency: Partial<Record<Transport, EndToEnd>> = {};
    const relay: Partial<Record<Transport, RelayFigures>> = {};
    for (const transport of ['memory', 'redis'] as const) {
      relay[transport] = await withFreshDynamo((endpoint) => relayThroughput(env(endpoint, transport, 'relay')));
      latency[transport] = await withFreshDynamo((endpoint) => endToEnd(env(endpoint, transport, 'e2e')));
    }
    const memory = latency.memory!;
    const redisLatency = latency.redis!;
    const targets: Target[] = [
      {
        what: 'Redis Streams: completeOrder -> reward readable, p99',
        target: '< 100 ms',
        measured: `${(redisLatency.p99Us / 1000).toFixed(1)} ms`,
        met: redisLatency.p99Us < 100_000,
      },
    ];
    const ms = (us: number) => (us / 1000).toFixed(1);
    const summary = [
      `End to end, ${ORDERS} orders one after another (after ${WARMUP_ORDERS} warm-up orders): completeOrder through the gateway returns,`,
      `then Rewards' issuance record is read (the BatchGetItem behind Order.rewardPoints) again ${POLL_MS} ms after each miss;`,
      'the latency is the moment the first read that found it was sent. Load average before / after: ' + `${loadBefore} / ${loadAfter()}.`,
      table(
        ['transport', 'orders', 'readable at return', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'max ms'],
        (['memory', 'redis'] as const).map((t) => {
          const s = latency[t]!;
          return [t, String(s.count), `${(s.readableAtReturn * 100).toFixed(1)}%`, ms(s.p50Us), ms(s.p90Us), ms(s.p99Us), ms(s.meanUs), ms(s.maxUs)];
        }),
      ),
      '',
      `Outbox relay: a sweep publishing ${RELAY_EVENTS.toLocaleString('en')} pending rows (query the outbox index, publish, delete; pages of 25):`,
      table(
        ['transport', 'events', 'seconds', 'events/s'],
        (['memory', 'redis'] as const).map((t) => {
          const r = relay[t]!;
          return [t, String(r.events), r.seconds.toFixed(2), r.eventsPerSecond.toFixed(0)];
        }),
      ),
      '',
      targetsSection(targets),
    ].join('\n');
    return {
      summary,
      data: {
        loadAverage: { before: loadBefore, after: loadAfter() },
        config: { orders: ORDERS, warmupOrders: WARMUP_ORDERS, pollMs: POLL_MS, relayEvents: RELAY_EVENTS, relayPageSize: 25, sequential: true },
        latencyMemory: memory,
        latencyRedis: redisLatency,
        relay,
        targets,
      },
    };
  } finally {
    for (const service of started.reverse()) await service.stop();
  }
}

/** Completes orders one at a time through the gateway and times each until its reward can be read. */
interface EndToEnd extends LatencySummary {
  /** Share of the orders whose reward was already readable when completeOrder returned (the first read found it). */
  readonly readableAtReturn: number;
}

async function endToEnd(config: AppConfig): Promise<EndToEnd> {
  const system = await startSystem(config, { notifications: false });
  try {
    const product = await createProduct(system.catalog.deps, BENCH_ADMIN, {
      sku: 'BENCH-EVENTS-1',
      name: 'Bench product',
      description: 'A product of the events benchmark',
      category: 'Bench',
      price: { amount: 12_345, currency: 'USD' },
      stockQuantity: 100_000,
    });
    const orderIds = await confirmedOrders(system, product.id, WARMUP_ORDERS + ORDERS);
    const token = await signDevToken({ sub: BENCH_ADMIN.sub, roles: [...BENCH_ADMIN.roles], ttlSeconds: 3600 }, BENCH_JWT_SECRET);
    const samples = new Float64Array(ORDERS);
    let firstReadHits = 0;
    for (let i = 0; i < orderIds.length; i += 1) {
      const { elapsedNs, reads } = await completeAndWaitForReward(system, token, orderIds[i]!);
      if (i < WARMUP_ORDERS) continue;
      samples[i - WARMUP_ORDERS] = elapsedNs;
      if (reads === 1) firstReadHits += 1;
    }
    return { ...summarize(samples), readableAtReturn: firstReadHits / ORDERS };
  } finally {
    await system.stop();
  }
}

/** Orders placed and confirmed through Orders' use cases (not timed), ready to complete. */
async function confirmedOrders(system: RunningSystem, productId: string, count: number): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let n = next++; n < count; n = next++) {
        // Many customers, so the tier (and the points) stay those of a first order.
        const order = await placeOrder(system.orders.deps, { sub: `bench-customer-${n}`, roles: [] }, { items: [{ productId, quantity: 1 }] });
        await confirmOrder(system.orders.deps, BENCH_ADMIN, order.id);
        ids[n] = order.id;
      }
    }),
  );
  return ids;
}

/** Nanoseconds from completeOrder returning to the reward being readable, and how many reads that took. */
async function completeAndWaitForReward(system: RunningSystem, token: string, orderId: string): Promise<{ elapsedNs: number; reads: number }> {
  const response = await fetch(system.urls.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'mutation($id: ID!) { completeOrder(id: $id) { status } }', variables: { id: orderId } }),
  });
  const body = (await response.json()) as { data?: { completeOrder?: { status?: string } }; errors?: unknown };
  const returned = process.hrtime.bigint();
  if (body.data?.completeOrder?.status !== 'COMPLETED') throw new Error(`completeOrder(${orderId}) failed: ${JSON.stringify(body.errors)}`);
  const deadline = Date.now() + 30_000;
  for (let reads = 1; ; reads += 1) {
    // Readable at the instant a read was sent that returned it: the read's own round trip is not counted.
    const sent = process.hrtime.bigint();
    const [issuance] = await system.rewards.deps.rewards.findIssuances([orderId]);
    if (issuance) {
      if (issuance.points !== 123) throw new Error(`order ${orderId} earned ${issuance.points} points, expected 123`);
      return { elapsedNs: Number(sent > returned ? sent - returned : 0n), reads };
    }
    if (Date.now() > deadline) throw new Error(`no reward for order ${orderId} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

interface RelayFigures {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/** Fills an outbox with pending rows, then times one sweep publishing all of them. */
async function relayThroughput(config: AppConfig): Promise<RelayFigures> {
  const logger = createLogger({ service: 'bench-relay', level: config.logLevel });
  const dynamo = createDynamoClients(config.dynamodb);
  const tableName = config.dynamodb.tables.orders;
  await ensureTable(dynamo.client, tableName, ordersTable);
  const bus = createEventBus({ kind: config.eventBus.kind, redisUrl: config.redisUrl, eventBusName: 'bench', streamPrefix: `${config.namespace}events`, logger, signingSecret: config.eventSigningSecret });
  try {
    const past = new Date(Date.now() - 60_000);
    const envelopes: AnyEventEnvelope[] = Array.from({ length: RELAY_EVENTS }, (_, n) =>
      sampleEnvelope('order.created', { orderId: `bench-order-${n}`, customerId: `bench-customer-${n % 100}` }, past),
    );
    for (let start = 0; start < envelopes.length; start += 25) {
      let pending: Record<string, unknown>[] = envelopes.slice(start, start + 25).map((envelope) => ({ PutRequest: { Item: { ...outboxItem(envelope) } } }));
      while (pending.length > 0) {
        const result = await dynamo.doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (result.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
      }
    }
    const relay = new OutboxRelay({ bus, doc: dynamo.doc, tableName, logger, minAgeMs: 0, maxPagesPerSweep: Math.ceil(RELAY_EVENTS / 25) + 1 });
    const startedAt = process.hrtime.bigint();
    const published = await relay.sweep();
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    if (published !== RELAY_EVENTS) throw new Error(`the sweep published ${published} events, expected ${RELAY_EVENTS}`);
    return { events: published, seconds, eventsPerSecond: published / seconds };
  } finally {
    await bus.close();
    dynamo.client.destroy();
  }
}
