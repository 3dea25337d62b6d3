/**
 * `npm run bench -- stock`: placements through the real gateway while 50 customers order at once, each order
 * holding stock in Catalog (issue 10):
 * - contention: every order is for one of 5 hot products, whose stock runs out during the run;
 * - spread: every order is for one of 500 products.
 * Reports placements per second and latency percentiles, and checks there is no oversell: orders per product
 * never exceed its initial stock, and available + held units add up exactly. An oversell fails the run.
 */
import { loadavg } from 'node:os';
import { signDevToken } from '../lib/auth';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { startRedisServer } from '../lib/redis';
import { startSystem, type RunningSystem } from '../scripts/system';
import { createProduct } from '../subgraphs/catalog/application/create-product';
import { table, targetsSection, type Bench, type Target } from './support/bench';
import { summarize, type LatencySummary } from './support/percentiles';
import { BENCH_ADMIN, BENCH_JWT_SECRET, benchConfig } from './support/system-env';

const CUSTOMERS = 50;
const ATTEMPTS = 1_000;
const P99_TARGET_MS = 5_000;

interface Scenario {
  readonly name: string;
  readonly products: number;
  readonly stockEach: number;
}

const SCENARIOS: readonly Scenario[] = [
  // 5 x 150 = 750 units for 1,000 attempts: the hot products sell out during the run.
  { name: 'contention (5 hot products)', products: 5, stockEach: 150 },
  { name: 'spread (500 products)', products: 500, stockEach: 10 },
];

interface Figures {
  readonly scenario: string;
  readonly attempts: number;
  readonly placed: number;
  readonly refusedUnavailable: number;
  readonly otherErrors: Record<string, number>;
  readonly seconds: number;
  readonly placementsPerSecond: number;
  readonly latency: LatencySummary;
  readonly initialUnits: number;
  readonly availableAfter: number;
  readonly reservedAfter: number;
  readonly oversoldProducts: number;
}

async function runScenario(system: RunningSystem, scenario: Scenario): Promise<Figures> {
  const products: string[] = [];
  for (let n = 0; n < scenario.products; n += 1) {
    const product = await createProduct(system.catalog.deps, BENCH_ADMIN, {
      sku: `BENCH-STOCK-${scenario.products}-${n}`,
      name: `Bench stock ${n}`,
      category: 'Bench',
      price: { amount: 1_000 + n, currency: 'USD' },
      stockQuantity: scenario.stockEach,
    });
    products.push(product.id);
  }
  const tokens = await Promise.all(Array.from({ length: CUSTOMERS }, (_, n) => signDevToken({ sub: `bench-stock-${n}`, ttlSeconds: 3600 }, BENCH_JWT_SECRET)));
  const samples = new Float64Array(ATTEMPTS);
  const placedPerProduct = new Map<string, number>();
  const errors: Record<string, number> = {};
  let next = 0;
  let placed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    tokens.map(async (token) => {
      while (next < ATTEMPTS) {
        const index = next++;
        const productId = products[(index * 7919) % products.length]!;
        const sent = process.hrtime.bigint();
        const response = await fetch(system.urls.gateway, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: 'mutation ($p: ID!) { placeOrder(input: { items: [{ productId: $p, quantity: 1 }] }) { id } }', variables: { p: productId } }),
        });
        const body = (await response.json()) as { data?: { placeOrder?: { id: string } }; errors?: { extensions?: { code?: string } }[] };
        samples[index] = Number(process.hrtime.bigint() - sent);
        if (body.data?.placeOrder) {
          placed += 1;
          placedPerProduct.set(productId, (placedPerProduct.get(productId) ?? 0) + 1);
        } else {
          const code = body.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`;
          errors[code] = (errors[code] ?? 0) + 1;
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let availableAfter = 0;
  let reservedAfter = 0;
  let oversoldProducts = 0;
  for (const product of await system.catalog.deps.products.findByIds(products)) {
    const orders = placedPerProduct.get(product.id) ?? 0;
    availableAfter += product.stockQuantity;
    reservedAfter += product.reservedQuantity;
    // Oversold: more orders than units, or figures that do not add up to the units it started with.
    if (orders > scenario.stockEach || product.stockQuantity < 0 || product.reservedQuantity !== orders || product.stockQuantity + orders !== scenario.stockEach) {
      oversoldProducts += 1;
    }
  }
  const { 'PRODUCT_UNAVAILABLE': refusedUnavailable = 0, ...otherErrors } = errors;
  return {
    scenario: scenario.name,
    attempts: ATTEMPTS,
    placed,
    refusedUnavailable,
    otherErrors,
    seconds: Math.round(seconds * 100) / 100,
    placementsPerSecond: Math.round((placed / seconds) * 10) / 10,
    latency: summarize(samples),
    initialUnits: scenario.products * scenario.stockEach,
    availableAfter,
    reservedAfter,
    oversoldProducts,
  };
}

export const run: Bench = async () => {
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const redis = await startRedisServer();
  const dynamo = await startDynamoDbLocal();
  const figures: Figures[] = [];
  try {
    const system = await startSystem(benchConfig({ dynamoEndpoint: dynamo.endpoint, tablePrefix: 'bench-stock-', eventBus: 'redis', redisUrl: redis.url }), { notifications: false });
    try {
      for (const scenario of SCENARIOS) figures.push(await runScenario(system, scenario));
    } finally {
      await system.stop();
    }
  } finally {
    await dynamo.stop();
    await redis.stop();
  }
  const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;
  const targets: Target[] = figures.flatMap((f) => [
    { what: `${f.scenario}: oversold products`, target: '0', measured: String(f.oversoldProducts), met: f.oversoldProducts === 0 },
    { what: `${f.scenario}: placement p99`, target: `< ${P99_TARGET_MS} ms`, measured: ms(f.latency.p99Us), met: f.latency.p99Us / 1000 < P99_TARGET_MS },
  ]);
  const summary = [
    `${CUSTOMERS} concurrent customers, ${ATTEMPTS} placements of 1 unit per scenario, through the gateway (Redis Streams, production mode); load before: ${loadBefore}`,
    table(
      ['scenario', 'placed', 'refused (no stock)', 'other errors', 'placements/s', 'p50', 'p99', 'units start', 'available after', 'held after', 'oversold'],
      figures.map((f) => [
        f.scenario,
        String(f.placed),
        String(f.refusedUnavailable),
        JSON.stringify(f.otherErrors),
        String(f.placementsPerSecond),
        ms(f.latency.p50Us),
        ms(f.latency.p99Us),
        String(f.initialUnits),
        String(f.availableAfter),
        String(f.reservedAfter),
        String(f.oversoldProducts),
      ]),
    ),
    targetsSection(targets),
  ].join('\n\n');
  if (figures.some((f) => f.oversoldProducts > 0)) {
    console.error(summary);
    throw new Error(`OVERSOLD: ${figures.map((f) => `${f.scenario}: ${f.oversoldProducts} products`).join(', ')}`);
  }
  return { summary, data: { customers: CUSTOMERS, attempts: ATTEMPTS, loadBefore, loadAfter: loadavg().map((n) => n.toFixed(2)).join(' '), scenarios: figures, targets } };
};
