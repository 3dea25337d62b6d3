/**
 * Catalog ACL lookups: latency of hits in each cache store and of origin misses, and the hit ratio of a Zipf
 * workload. Starts its own DynamoDB Local, redis-server and Catalog, and stops them.
 *
 *   npm run bench -- catalog-acl
 */
import { Registry } from 'prom-client';
import { loadConfig } from '../lib/config';
import { ensureTable } from '../lib/dynamodb';
import { startDynamoDbLocal, type LocalDynamo } from '../lib/dynamodb/local';
import { createRedisClient, startRedisServer, type LocalRedis } from '../lib/redis';
import { createLogger } from '../lib/logging';
import { createServiceRuntime } from '../lib/runtime';
import { createProduct } from '../subgraphs/catalog/application/create-product';
import { catalogTable } from '../subgraphs/catalog/infrastructure/catalog-table';
import { startCatalog, type RunningCatalog } from '../subgraphs/catalog/service';
import type { CatalogHttpAcl } from '../subgraphs/orders/infrastructure/catalog-acl';
import { createCatalogAcl, type CatalogAclOptions } from '../subgraphs/orders/infrastructure/catalog-acl';
import { table, targetsSection, type BenchReport, type Target } from './support/bench';
import { summarize, type LatencySummary } from './support/percentiles';
import { seededRandom, zipfSampler } from './support/zipf';

const PRODUCTS = 1_000;
const LOOKUPS = 10_000;
const HOT_SET = 100;
const WARMUP = 2_000;
const ZIPF_LOOKUPS = 100_000;
const ZIPF_S = 1.1;
const ZIPF_SEED = 20_251_001;

interface Acl {
  readonly acl: CatalogHttpAcl;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

export async function run(): Promise<BenchReport> {
  const started: { stop(): Promise<void> }[] = [];
  try {
    const [dynamo, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
    started.push(dynamo, redis);
    const catalog = await startCatalogWithProducts(dynamo, PRODUCTS);
    started.push(catalog.service);
    return await measureAll(catalog.service, catalog.ids, redis);
  } finally {
    for (const service of started.reverse()) await service.stop();
  }
}

async function startCatalogWithProducts(dynamo: LocalDynamo, count: number): Promise<{ service: RunningCatalog; ids: string[] }> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', HOST: '127.0.0.1', DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_PREFIX: 'bench-', EVENT_BUS: 'memory' });
  const runtime = createServiceRuntime(config, 'catalog');
  await ensureTable(runtime.dynamo.client, config.dynamodb.tables.catalog, catalogTable);
  const service = await startCatalog(runtime, 0);
  const ids: string[] = new Array<string>(count);
  const admin = { sub: 'admin', roles: ['admin'] };
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let n = next++; n < count; n = next++) {
        const product = await createProduct(service.deps, admin, {
          sku: `BENCH-${String(n).padStart(5, '0')}`,
          name: `Bench product ${n}`,
          description: 'A product of the Catalog ACL benchmark',
          category: n % 2 === 0 ? 'Home & Garden' : 'Gadgets',
          price: { amount: 100 + n, currency: 'USD' },
          stockQuantity: 10 + (n % 50),
        });
        ids[n] = product.id;
      }
    }),
  );
  return { service, ids };
}

async function measureAll(catalog: RunningCatalog, ids: readonly string[], redis: LocalRedis): Promise<BenchReport> {
  const logger = createLogger({ service: 'bench', level: process.env['LOG_LEVEL'] ?? 'silent' });
  const admin = createRedisClient(redis.url);
  const opened: CatalogHttpAcl[] = [];
  const open = (options: Partial<CatalogAclOptions>): Acl => {
    const registry = new Registry();
    const acl = createCatalogAcl({
      baseUrl: catalog.http.url,
      timeoutMs: 2_000,
      breakerThreshold: 5,
      breakerHalfOpenAfterMs: 30_000,
      registry,
      logger,
      ...options,
    });
    opened.push(acl);
    return { acl, metric: async (name, labels = {}) => sumSamples(await registry.getMetricsAsJSON(), name, labels) };
  };
  const hot = ids.slice(0, HOT_SET);

  try {
    const memory = open({ redisUrl: undefined });
    const memoryHit = await measureHits(memory, hot);

    const tracked = open({ redisUrl: redis.url, keyPrefix: 'bench:tracked:', tracking: true });
    const trackedHit = await measureHits(tracked, hot);

    // Without tracking every lookup reads Redis, and undici-cache-redis finds an entry with SCAN MATCH over the
    // whole keyspace: its cost grows with the number of keys in the Redis database, so the keyspace is stated.
    await admin.flushdb();
    const untrackedSmall = open({ redisUrl: redis.url, keyPrefix: 'bench:untracked:', tracking: false });
    const untrackedHit = await measureHits(untrackedSmall, ids.slice(0, 1));
    const keysSmall = await admin.dbsize();
    const untrackedHot = await measureHits(untrackedSmall, hot);
    const keysHot = await admin.dbsize();
    const untrackedAll = await measureHits(untrackedSmall, ids, 1_000, 200);
    const keysAll = await admin.dbsize();

    const miss = await measureMisses(open({ redisUrl: undefined }), ids);

    await admin.flushdb();
    const zipf = await measureZipf(open({ redisUrl: redis.url, keyPrefix: 'bench:zipf:', tracking: true }), ids);

    const latency = {
      memoryHit,
      redisTrackedHit: trackedHit,
      redisUntrackedHit: { ...untrackedHit, redisKeys: keysSmall, cachedProducts: 1 },
      redisUntrackedHitHotSet: { ...untrackedHot, redisKeys: keysHot, cachedProducts: HOT_SET },
      redisUntrackedHitAllProducts: { ...untrackedAll, redisKeys: keysAll, cachedProducts: PRODUCTS },
      originMiss: miss,
    };
    const targets: Target[] = [
      target('memory-store hit p50', '< 50 us', memoryHit.p50Us, memoryHit.p50Us < 50),
      target('tracked Redis hit p50', '< 100 us', trackedHit.p50Us, trackedHit.p50Us < 100),
      target(`untracked Redis hit p50 (${keysSmall} keys)`, '< 1 ms', untrackedHit.p50Us, untrackedHit.p50Us < 1_000),
      target(`untracked Redis hit p50 (${keysHot} keys)`, '< 1 ms', untrackedHot.p50Us, untrackedHot.p50Us < 1_000),
      target(`untracked Redis hit p50 (${keysAll} keys)`, '< 1 ms', untrackedAll.p50Us, untrackedAll.p50Us < 1_000),
      { what: 'Zipf hit ratio', target: '>= 95%', measured: `${(zipf.hitRatio * 100).toFixed(2)}%`, met: zipf.hitRatio >= 0.95 },
    ];
    const rows = [
      row(`memory-store hit (${HOT_SET} products)`, memoryHit),
      row(`Redis hit, tracking cache (${HOT_SET} products)`, trackedHit),
      row(`Redis hit, tracking off (1 product, ${keysSmall} keys)`, untrackedHit),
      row(`Redis hit, tracking off (${HOT_SET} products, ${keysHot} keys)`, untrackedHot),
      row(`Redis hit, tracking off (${PRODUCTS} products, ${keysAll} keys)`, untrackedAll),
      row(`origin miss (${PRODUCTS} products)`, miss),
    ];
    const summary = [
      'Lookup latency (one product per getProducts call, sequential, after warm-up lookups):',
      table(['scenario', 'lookups', 'p50 us', 'p90 us', 'p99 us', 'mean us'], rows),
      '',
      `Hit ratio: ${ZIPF_LOOKUPS.toLocaleString('en')} lookups, Zipf(s=${ZIPF_S}) over ${PRODUCTS.toLocaleString('en')} products, cold Redis store with tracking:`,
      `  hits ${zipf.hits}, misses ${zipf.misses}, distinct products drawn ${zipf.distinct}, origin requests ${zipf.originRequests}: hit ratio ${(zipf.hitRatio * 100).toFixed(2)}%`,
      '',
      targetsSection(targets),
    ].join('\n');
    return {
      summary,
      data: {
        config: { products: PRODUCTS, lookupsPerScenario: LOOKUPS, hotSet: HOT_SET, warmup: WARMUP, catalogCacheControl: 'public, max-age=300, stale-while-revalidate=60' },
        latency,
        zipf: { lookups: ZIPF_LOOKUPS, s: ZIPF_S, seed: ZIPF_SEED, ...zipf },
        targets,
      },
    };
  } finally {
    await Promise.all(opened.map((acl) => acl.close()));
    admin.disconnect();
  }
}

/** Caches `ids`, waits for the store to hold them, warms up, then times `lookups` lookups cycling over them. */
async function measureHits(target: Acl, ids: readonly string[], lookups = LOOKUPS, warmup = WARMUP): Promise<LatencySummary> {
  const writesBefore = await target.metric('http_client_cache_writes_total');
  const missesBefore = await target.metric('http_client_cache_lookups_total', { result: 'miss' });
  for (const id of ids) await lookup(target.acl, id);
  const stored = (await target.metric('http_client_cache_lookups_total', { result: 'miss' })) - missesBefore;
  await waitFor(async () => (await target.metric('http_client_cache_writes_total')) >= writesBefore + stored);
  for (let i = 0; i < warmup; i += 1) await lookup(target.acl, ids[i % ids.length]!);

  const hitsBefore = await target.metric('http_client_cache_lookups_total', { result: 'hit' });
  const samples = await time(lookups, (i) => lookup(target.acl, ids[i % ids.length]!));
  const hits = (await target.metric('http_client_cache_lookups_total', { result: 'hit' })) - hitsBefore;
  if (hits !== lookups) throw new Error(`expected ${lookups} hits, counted ${hits}`);
  return summarize(samples);
}

/** Every timed lookup goes to Catalog: the product's entry is dropped (untimed) right before it. */
async function measureMisses(target: Acl, ids: readonly string[]): Promise<LatencySummary> {
  for (let i = 0; i < 200; i += 1) {
    await target.acl.invalidateProducts([ids[i % ids.length]!]);
    await lookup(target.acl, ids[i % ids.length]!);
  }
  const missesBefore = await target.metric('http_client_cache_lookups_total', { result: 'miss' });
  const samples = new Float64Array(LOOKUPS);
  for (let i = 0; i < LOOKUPS; i += 1) {
    const id = ids[i % ids.length]!;
    await target.acl.invalidateProducts([id]);
    const start = process.hrtime.bigint();
    await lookup(target.acl, id);
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  const misses = (await target.metric('http_client_cache_lookups_total', { result: 'miss' })) - missesBefore;
  if (misses !== LOOKUPS) throw new Error(`expected ${LOOKUPS} misses, counted ${misses}`);
  return summarize(samples);
}

async function measureZipf(target: Acl, ids: readonly string[]) {
  const draw = zipfSampler(ids.length, ZIPF_S, seededRandom(ZIPF_SEED));
  const drawn = new Set<number>();
  for (let i = 0; i < ZIPF_LOOKUPS; i += 1) {
    const rank = draw();
    drawn.add(rank);
    await lookup(target.acl, ids[rank]!);
  }
  const hits = await target.metric('http_client_cache_lookups_total', { result: 'hit' });
  const all = await target.metric('http_client_cache_lookups_total');
  return {
    hits,
    misses: await target.metric('http_client_cache_lookups_total', { result: 'miss' }),
    distinct: drawn.size,
    originRequests: await target.metric('http_client_origin_request_duration_seconds_count'),
    hitRatio: hits / all,
  };
}

async function lookup(acl: CatalogHttpAcl, id: string): Promise<void> {
  const [product] = await acl.getProducts([id]);
  if (product?.id !== id) throw new Error(`lookup of ${id} returned ${JSON.stringify(product)}`);
}

async function time(count: number, body: (i: number) => Promise<void>): Promise<Float64Array> {
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    const start = process.hrtime.bigint();
    await body(i);
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  return samples;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the cache store did not finish its writes in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

function sumSamples(metrics: MetricsJson, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const metric of metrics) {
    for (const value of metric.values as { metricName?: string; labels: Record<string, string | number>; value: number }[]) {
      if ((value.metricName ?? metric.name) !== name) continue;
      if (Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected)) sum += value.value;
    }
  }
  return sum;
}

function row(label: string, summary: LatencySummary): string[] {
  return [label, String(summary.count), summary.p50Us.toFixed(1), summary.p90Us.toFixed(1), summary.p99Us.toFixed(1), summary.meanUs.toFixed(1)];
}

function target(what: string, goal: string, p50Us: number, met: boolean): Target {
  return { what, target: goal, measured: `${p50Us.toFixed(1)} us`, met };
}
