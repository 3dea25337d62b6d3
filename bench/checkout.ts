/**
 * `npm run bench -- checkout`: the checkout saga under load, end to end. 50 customers place orders and pay for them
 * through the real gateway (production mode, Redis Streams), Payments and the Stripe emulator's signed webhooks:
 * placeOrder, startPayment, the PaymentIntent confirmed with pm_card_visa, CONFIRMED seen on the customer's
 * orderStatusChanged subscription. The customers run in a process of their own (bench/checkout-customers.ts).
 * Each round measures, one after the other:
 * - the ceiling: raw DynamoDB Local TransactWriteItems per second on this machine (50 writers, two puts each, the
 *   shape of an aggregate with its outbox row), what every step of the saga is made of;
 * - paced: checkouts started at 20 per second (open loop) for the round; p50/p99 from startPayment to CONFIRMED;
 * - flat out: the 50 customers checking out as fast as they can; completed checkouts per second and its ratio to
 *   the ceiling.
 * At the end it checks nothing was oversold (for every product, available + held = initial, and held = the units
 * of its unpaid and confirmed orders) and nothing was charged without an order (every PaymentIntent Stripe holds
 * belongs to a CONFIRMED order). Rounds report min, median and max; the load average is printed before and after.
 *
 *   npm run bench -- checkout
 *   BENCH_SECONDS=3 BENCH_ROUNDS=1 npm run bench -- checkout     # a smoke run: does it work?
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { CreateTableCommand, DeleteTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import { signDevToken } from '../lib/auth';
import { createDynamoClients } from '../lib/dynamodb';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { startRedisServer } from '../lib/redis';
import { startLocalStripe } from '../scripts/local-stripe';
import { startSystem, type RunningSystem } from '../scripts/system';
import { createProduct } from '../subgraphs/catalog/application/create-product';
import type { Customer, CustomersCommand, CustomersReply, Pace } from './checkout-customers';
import { table, targetsSection, type Bench, type Target } from './support/bench';
import { BenchProcess } from './support/bench-process';
import { summarize } from './support/percentiles';
import { BENCH_ADMIN, BENCH_JWT_SECRET, BENCH_STRIPE_SECRET_KEY, BENCH_STRIPE_WEBHOOK_SECRET, benchConfig } from './support/system-env';

const CUSTOMERS = 50;
const PRODUCTS = 20;
const STOCK_EACH = 100_000;
const PACED_PER_SECOND = 20;
const P99_TARGET_MS = 500;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
const CEILING_SECONDS = Math.min(SECONDS, 10);

interface Phase {
  readonly completed: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: Record<string, number>;
  readonly late: number;
}

interface Round {
  readonly ceilingPerSecond: number;
  readonly paced: Phase;
  readonly flatOut: Phase;
  readonly ratio: number;
}

/**
 * Raw TransactWriteItems per second against DynamoDB Local: CUSTOMERS writers in this process, each transaction two
 * conditional puts on a scratch table (an item and its outbox row). No service, no HTTP: the floor every
 * transaction of the saga stands on.
 */
async function ceiling(endpoint: string, seconds: number): Promise<number> {
  const dynamo = createDynamoClients({ endpoint, region: 'us-east-1' });
  const TableName = `bench-ceiling-${randomUUID().slice(0, 8)}`;
  await dynamo.client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  await waitUntilTableExists({ client: dynamo.client, maxWaitTime: 60 }, { TableName });
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CUSTOMERS }, async () => {
      while (Date.now() < until) {
        const id = randomUUID();
        await dynamo.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: { pk: `ORDER#${id}`, sk: 'ORDER', status: 'PENDING', version: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: { TableName, Item: { pk: `OUTBOX#${id}`, sk: 'OUTBOX', event: '{}' }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
        done += 1;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  await dynamo.client.send(new DeleteTableCommand({ TableName }));
  dynamo.client.destroy();
  return done / elapsed;
}

async function phase(customers: BenchProcess<CustomersCommand, CustomersReply>, system: RunningSystem, stripeUrl: string, tokens: readonly Customer[], productIds: readonly string[], pace: Pace, orders: string[]): Promise<Phase> {
  customers.send({ type: 'run', gatewayUrl: system.urls.gateway, stripeUrl, stripeKey: BENCH_STRIPE_SECRET_KEY, customers: tokens, productIds, pace, seconds: SECONDS });
  const reply = await customers.next('ran');
  if (reply.error) throw new Error(`the customers could not run: ${reply.error}`);
  orders.push(...reply.orderIds);
  const latency = reply.latenciesMs.length > 0 ? summarize(Float64Array.from(reply.latenciesMs.map((ms) => ms * 1e6))) : undefined;
  return {
    completed: reply.latenciesMs.length,
    perSecond: Math.round((reply.latenciesMs.length / reply.seconds) * 10) / 10,
    p50Ms: latency ? latency.p50Us / 1000 : Number.NaN,
    p99Ms: latency ? latency.p99Us / 1000 : Number.NaN,
    failures: reply.failures,
    late: reply.late,
  };
}

/** Oversold products: figures that do not add up, or more held than the orders still holding stock. */
async function oversold(system: RunningSystem, productIds: readonly string[], orderIds: readonly string[]): Promise<number> {
  const holding = new Map<string, number>();
  for (let start = 0; start < orderIds.length; start += 100) {
    for (const order of await system.orders.deps.orders.findByIds(orderIds.slice(start, start + 100))) {
      if (order.status === 'CANCELLED') continue;
      for (const item of order.items) holding.set(item.productId, (holding.get(item.productId) ?? 0) + item.quantity);
    }
  }
  let bad = 0;
  for (const product of await system.catalog.deps.products.findByIds(productIds)) {
    if (product.stockQuantity < 0 || product.stockQuantity + product.reservedQuantity !== STOCK_EACH || product.reservedQuantity !== (holding.get(product.id) ?? 0)) bad += 1;
  }
  return bad;
}

/** PaymentIntents Stripe holds or took money for whose order is not CONFIRMED (or does not exist). */
async function chargedWithoutOrder(system: RunningSystem, stripe: Stripe): Promise<number> {
  const held = new Map<string, string>();
  for await (const event of stripe.events.list({ type: 'payment_intent.amount_capturable_updated', limit: 100 })) {
    const intent = event.data.object as Stripe.PaymentIntent;
    held.set(intent.id, intent.metadata['order_id'] ?? '');
  }
  let bad = 0;
  for (const [intentId, orderId] of held) {
    const intent = await stripe.paymentIntents.retrieve(intentId);
    if (intent.status !== 'requires_capture' && intent.status !== 'succeeded') continue;
    const order = orderId ? await system.orders.deps.orders.findById(orderId) : null;
    if (!order || order.status !== 'CONFIRMED') bad += 1;
  }
  return bad;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const spread = (values: readonly number[], digits = 1) => `${Math.min(...values).toFixed(digits)} / ${median(values).toFixed(digits)} / ${Math.max(...values).toFixed(digits)}`;

export const run: Bench = async () => {
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const redis = await startRedisServer();
  const dynamo = await startDynamoDbLocal();
  // The benchmark is a development run on this machine: the services under test are in production mode, paying
  // through the emulator on loopback (as they would through Stripe), which only development starts.
  const stripe = await startLocalStripe({ nodeEnv: 'development', port: 0, webhookSecret: BENCH_STRIPE_WEBHOOK_SECRET });
  const customers = new BenchProcess<CustomersCommand, CustomersReply>('checkout-customers.ts');
  const rounds: Round[] = [];
  const orders: string[] = [];
  let checks = { oversold: Number.NaN, chargedWithoutOrder: Number.NaN };
  try {
    const system = await startSystem(
      benchConfig({
        dynamoEndpoint: dynamo.endpoint,
        tablePrefix: `bench-checkout-${Date.now()}-`,
        eventBus: 'redis',
        redisUrl: redis.url,
        // The caps at their defaults: each customer pays for an order before placing the next.
        overrides: { ...stripe.env, MAX_PENDING_ORDERS_PER_CUSTOMER: '5', MAX_HELD_UNITS_PER_CUSTOMER: '100' },
      }),
      // Emails are sent after the confirmation and off its path; without a mail server the worker would not start.
      { notifications: false },
    );
    try {
      stripe.connect(system.urls.payments);
      const productIds: string[] = [];
      for (let n = 0; n < PRODUCTS; n += 1) {
        const product = await createProduct(system.catalog.deps, BENCH_ADMIN, {
          sku: `BENCH-CHECKOUT-${n}`,
          name: `Bench checkout ${n}`,
          category: 'Bench',
          price: { amount: 1_000 + n, currency: 'USD' },
          stockQuantity: STOCK_EACH,
        });
        productIds.push(product.id);
      }
      const tokens: Customer[] = await Promise.all(
        Array.from({ length: CUSTOMERS }, async (_, n) => ({ sub: `bench-checkout-${n}`, token: await signDevToken({ sub: `bench-checkout-${n}`, ttlSeconds: 7200 }, BENCH_JWT_SECRET) })),
      );
      // Warm-up: JIT, connection pools, the emulator; not reported.
      await phase(customers, system, stripe.emulator.url, tokens, productIds, { kind: 'paced', perSecond: 5 }, orders);
      for (let round = 0; round < ROUNDS; round += 1) {
        const ceilingPerSecond = await ceiling(dynamo.endpoint, CEILING_SECONDS);
        const paced = await phase(customers, system, stripe.emulator.url, tokens, productIds, { kind: 'paced', perSecond: PACED_PER_SECOND }, orders);
        const flatOut = await phase(customers, system, stripe.emulator.url, tokens, productIds, { kind: 'flat-out' }, orders);
        rounds.push({ ceilingPerSecond: Math.round(ceilingPerSecond), paced, flatOut, ratio: flatOut.perSecond / ceilingPerSecond });
      }
      const sdk = new Stripe(BENCH_STRIPE_SECRET_KEY, { host: '127.0.0.1', port: Number(new URL(stripe.emulator.url).port), protocol: 'http' });
      checks = { oversold: await oversold(system, productIds, orders), chargedWithoutOrder: await chargedWithoutOrder(system, sdk) };
    } finally {
      await system.stop();
    }
  } finally {
    customers.send({ type: 'exit' });
    await customers.stop();
    await stripe.stop();
    await dynamo.stop();
    await redis.stop();
  }
  const loadAfter = loadavg().map((n) => n.toFixed(2)).join(' ');
  const failures = (pick: (round: Round) => Phase) => rounds.reduce((sum, round) => sum + Object.values(pick(round).failures).reduce((a, b) => a + b, 0), 0);
  const pacedP99 = rounds.map((round) => round.paced.p99Ms);
  const pacedRate = rounds.map((round) => round.paced.perSecond);
  const targets: Target[] = [
    { what: `paced at ${PACED_PER_SECOND}/s: p99 startPayment -> CONFIRMED (median of rounds)`, target: `< ${P99_TARGET_MS} ms`, measured: `${median(pacedP99).toFixed(1)} ms`, met: median(pacedP99) < P99_TARGET_MS },
    { what: `paced: completed checkouts per second (median)`, target: `>= ${PACED_PER_SECOND * 0.95}`, measured: median(pacedRate).toFixed(1), met: median(pacedRate) >= PACED_PER_SECOND * 0.95 },
    { what: 'oversold products', target: '0', measured: String(checks.oversold), met: checks.oversold === 0 },
    { what: 'PaymentIntents held or charged without a CONFIRMED order', target: '0', measured: String(checks.chargedWithoutOrder), met: checks.chargedWithoutOrder === 0 },
    { what: 'failed checkouts', target: '0', measured: String(failures((r) => r.paced) + failures((r) => r.flatOut)), met: failures((r) => r.paced) + failures((r) => r.flatOut) === 0 },
  ];
  const row = (label: string, values: readonly number[], digits = 1) => [label, spread(values, digits)];
  const summary = [
    `${CUSTOMERS} customers, ${PRODUCTS} products, ${ROUNDS} rounds of ${SECONDS} s per phase; through the gateway (production mode, Redis Streams, no Notifications worker) and the Stripe emulator's webhooks; ${cpus().length} cores; load average before: ${loadBefore}, after: ${loadAfter}`,
    table(
      ['round', 'ceiling tx/s', `paced ${PACED_PER_SECOND}/s: done/s`, 'p50 ms', 'p99 ms', 'late', 'flat out: done/s', 'p50 ms', 'p99 ms', 'ratio to ceiling', 'failures'],
      rounds.map((round, index) => [
        String(index + 1),
        String(round.ceilingPerSecond),
        String(round.paced.perSecond),
        round.paced.p50Ms.toFixed(1),
        round.paced.p99Ms.toFixed(1),
        String(round.paced.late),
        String(round.flatOut.perSecond),
        round.flatOut.p50Ms.toFixed(1),
        round.flatOut.p99Ms.toFixed(1),
        round.ratio.toFixed(3),
        JSON.stringify({ ...round.paced.failures, ...round.flatOut.failures }),
      ]),
    ),
    table(
      ['over the rounds', 'min / median / max'],
      [
        row('ceiling: TransactWriteItems/s', rounds.map((round) => round.ceilingPerSecond), 0),
        row(`paced ${PACED_PER_SECOND}/s: p50 ms`, rounds.map((round) => round.paced.p50Ms)),
        row(`paced ${PACED_PER_SECOND}/s: p99 ms`, pacedP99),
        row('flat out: checkouts/s', rounds.map((round) => round.flatOut.perSecond)),
        row('flat out: p99 ms', rounds.map((round) => round.flatOut.p99Ms)),
        row('flat out / ceiling', rounds.map((round) => round.ratio), 3),
      ],
    ),
    targetsSection(targets),
  ].join('\n\n');
  return {
    summary,
    data: { customers: CUSTOMERS, products: PRODUCTS, seconds: SECONDS, pacedPerSecond: PACED_PER_SECOND, cores: cpus().length, loadBefore, loadAfter, rounds, checks, targets },
  };
};
