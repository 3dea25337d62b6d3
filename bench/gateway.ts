/**
 * Gateway throughput against its peers, like with like, over the same running subgraphs (production mode, logging
 * off, rate limits off). Two phases, each interleaved (gateways and operations rotate round after round, so machine
 * noise falls on all alike):
 * - no cache: the project's gateway with GATEWAY_RESPONSE_CACHE=off, Hive Gateway with its defaults and with its Rust
 *   query planner, a stock Apollo Gateway, and the Catalog subgraph directly (the operations it can answer);
 * - cache on both: the project's gateway with its defaults against Hive Gateway with its own response cache, told the
 *   same cache hints (TTL, PRIVATE scope) and a session per caller, with and without the Rust planner.
 * In-flight dedupe is on wherever the peer offers it. What each row had on is printed with it (PEER_FEATURES).
 * Before its figures count, every gateway must answer each customer with their own data under concurrency, and
 * repeated reads must show whether its cache hits (sampled through the subgraphs' request counts).
 *
 *   npm run bench -- gateway
 *   BENCH_SECONDS=2 BENCH_ROUNDS=1 BENCH_OPERATIONS=product,me npm run bench -- gateway   (a smoke run)
 *
 * Load comes from autocannon in a process of its own (bench/gateway-load.ts). Gateway CPU is read from /proc for the
 * gateway's whole process group. Writes bench/results/gateway.json; bench/README.md explains how to read it.
 */
import { cpus, loadavg } from 'node:os';
import { signDevToken, signRequest, type Identity } from '../lib/auth';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { startRedisServer } from '../lib/redis';
import type { LoadCommand, LoadReply } from './gateway-load';
import { table, targetsSection, type BenchReport, type Target } from './support/bench';
import { BenchProcess } from './support/bench-process';
import { ME_QUERY, OPERATIONS, workload, type BenchCustomer, type Operation, type WorkloadFixture } from './support/gateway-workload';
import { ensureHiveGateway } from './support/peers/hive-gateway-install';
import { BenchPeers, PEER_FEATURES, PEER_NAMES, type PeerName, type RunningGateway, type SubgraphUrls } from './support/peers/gateways';
import { spreadOf, spreadPercent, type Spread } from './support/spread';
import { BENCH_ADMIN, BENCH_EVENT_SIGNING_SECRET, BENCH_JWT_SECRET, BENCH_METRICS_TOKEN, BENCH_SIGNING_SECRET } from './support/system-env';

const SECONDS = positive('BENCH_SECONDS', 8);
const ROUNDS = positiveInteger('BENCH_ROUNDS', 3);
const CONNECTIONS = positiveInteger('BENCH_CONNECTIONS', 30);
const WARMUP_SECONDS = positive('BENCH_WARMUP_SECONDS', 2);
/** BENCH_OPERATIONS / BENCH_GATEWAYS (comma lists) narrow a run while iterating; the full run measures all. */
const RUN_OPERATIONS = listFromEnv('BENCH_OPERATIONS', OPERATIONS);
const RUN_GATEWAYS = listFromEnv('BENCH_GATEWAYS', PEER_NAMES);
const PRODUCTS = 200;
/** The customers of `me` and `mixed`. */
const CUSTOMERS = 8;
/** The callers of `me-many-callers`: more than the connections, so no two requests in flight share a caller. */
const MANY_CALLERS = Math.max(40, CONNECTIONS + 10);
/** Below the per-customer cap on pending orders. */
const ORDERS_PER_CUSTOMER = 4;
/** Operations whose answers both caches may store (public catalog reads); the others hold orders (never cached). */
const CACHEABLE: readonly Operation[] = ['products', 'product', 'product-many-ids'];
/** Repeated reads per gateway and cacheable operation that sample whether its cache hits. */
const CACHE_SAMPLES = 10;

interface Phase {
  readonly name: 'no-cache' | 'cache';
  readonly title: string;
  /** The project's row of this phase: the targets compare it with the others. */
  readonly project: PeerName;
  readonly gateways: readonly PeerName[];
  /** The peers each row's throughput is also shown against. */
  readonly references: readonly PeerName[];
  /** Whether the gateways of this phase are meant to answer repeated reads from a cache. */
  readonly caching: boolean;
}

const PHASES: readonly Phase[] = [
  {
    name: 'no-cache',
    title: 'No cache on any side (in-flight dedupe on wherever offered)',
    project: 'project-nocache',
    gateways: ['project-nocache', 'hive', 'hive-rust', 'apollo-stock', 'direct'],
    references: ['hive-rust', 'hive'],
    caching: false,
  },
  {
    name: 'cache',
    title: 'Response cache on both sides (same hints and TTL, a session per caller; dedupe on)',
    project: 'project',
    gateways: ['project', 'hive-cache', 'hive-rust-cache'],
    references: ['hive-rust-cache', 'hive-cache'],
    caching: true,
  },
];

interface Row {
  readonly operation: Operation;
  readonly gateway: PeerName;
  readonly round: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Failed requests, GraphQL errors and answers with another caller's data. */
  readonly errors: number;
  readonly phase: Phase['name'];
  /** The errors by kind: connection errors, timeouts and non-2xx answers; 2xx answers with GraphQL errors. */
  readonly failed: number;
  readonly graphqlErrors: number;
  readonly wrongCaller: number;
  readonly firstError?: string;
  readonly gatewayCpuMsPerRequest: number | null;
  readonly subgraphCallsPerRequest: number;
  readonly loadGeneratorCpuPercent: number;
}

interface CacheSample {
  readonly gateway: PeerName;
  readonly operation: Operation;
  readonly sampled: number;
  /** Repeated reads answered without any subgraph request. */
  readonly hits: number;
  readonly ok: boolean;
}

interface PhaseRecord {
  readonly phase: Phase;
  readonly gateways: readonly PeerName[];
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
  readonly isolation: readonly { readonly gateway: PeerName; readonly requests: number; readonly wrong: number }[];
  readonly cacheSamples: readonly CacheSample[];
}

interface Fixture extends WorkloadFixture {
  readonly subgraphs: SubgraphUrls;
}

type LoadGenerator = BenchProcess<LoadCommand, LoadReply>;

export async function run(): Promise<BenchReport> {
  const startedAt = Date.now();
  const phases = PHASES.map((phase) => ({ phase, gateways: phase.gateways.filter((name) => RUN_GATEWAYS.includes(name)) })).filter((entry) => entry.gateways.length > 0);
  const expected = expectedSeconds(phases.map((entry) => entry.gateways));
  console.log(
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${formatLoad(loadavg())}. ` +
      `${ROUNDS} rounds of ${SECONDS} s per measurement, ${CONNECTIONS} connections; expected duration about ${Math.ceil(expected / 60)} min.`,
  );
  if (phases.some((entry) => entry.gateways.some((name) => name.startsWith('hive')))) ensureHiveGateway();
  const stops: { stop(): Promise<void> }[] = [];
  let peers: BenchPeers | undefined;
  let loader: LoadGenerator | undefined;
  try {
    const [dynamo, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
    stops.push(dynamo, redis);
    peers = new BenchPeers({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      REDIS_URL: redis.url,
      EVENT_BUS: 'redis',
      TABLE_PREFIX: `bench-gateway-${Date.now()}-`,
      JWT_SECRET: BENCH_JWT_SECRET,
      GATEWAY_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      EVENT_SIGNING_SECRET: BENCH_EVENT_SIGNING_SECRET,
      // Production mode serves /metrics to this token only; the subgraph call counts are read from it.
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      // The benchmark drives one address far past any client's budget.
      RATE_LIMIT: 'off',
    });
    const subgraphs = await peers.startSubgraphs();
    const fixture = await seed(subgraphs);
    loader = new BenchProcess<LoadCommand, LoadReply>('gateway-load.ts');
    const measure = measurer(peers, loader, fixture);
    const rows: Row[] = [];
    const records: PhaseRecord[] = [];
    for (const { phase, gateways: names } of phases) {
      console.log(`\n${phase.title}: ${names.join(', ')}`);
      const loadAverageBefore = loadavg();
      const gateways = new Map<PeerName, RunningGateway>();
      for (const name of names) gateways.set(name, await start(peers, name, subgraphs));
      // Every gateway must answer each customer with their own data under concurrency before its figures count.
      const isolation: PhaseRecord['isolation'][number][] = [];
      for (const [name, gateway] of gateways) if (name !== 'direct') isolation.push(await checkIsolation(name, gateway, fixture));
      for (const [name, gateway] of gateways) for (const operation of operationsOf(name)) await measure(name, gateway, operation, WARMUP_SECONDS, 0, phase);
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (const operation of rotate(RUN_OPERATIONS, round - 1)) {
          const order = rotate(
            names.filter((name) => operationsOf(name).includes(operation)),
            round - 1,
          );
          const measured: Row[] = [];
          for (const name of order) measured.push(await measure(name, gateways.get(name)!, operation, SECONDS, round, phase));
          rows.push(...measured);
          console.log(progress(measured));
        }
      }
      const cacheSamples: CacheSample[] = [];
      for (const [name, gateway] of gateways) {
        if (name === 'direct') continue;
        for (const operation of CACHEABLE.filter((candidate) => RUN_OPERATIONS.includes(candidate))) cacheSamples.push(await sampleCache(name, gateway, operation, fixture, phase.caching));
      }
      for (const gateway of gateways.values()) if (gateway.process) await peers.group.stop(gateway.process);
      records.push({ phase, gateways: names, loadAverageBefore, loadAverageAfter: loadavg(), isolation, cacheSamples });
    }
    return report(rows, records, { expectedSeconds: expected, seconds: (Date.now() - startedAt) / 1000 });
  } finally {
    await loader?.stop();
    await peers?.group.stopAll();
    for (const service of stops.reverse()) await service.stop();
  }
}

function start(peers: BenchPeers, name: PeerName, subgraphs: SubgraphUrls): Promise<RunningGateway> {
  switch (name) {
    case 'project':
    case 'project-nocache':
      return peers.startProject(name, subgraphs);
    case 'hive':
    case 'hive-rust':
    case 'hive-cache':
    case 'hive-rust-cache':
      return peers.startHive(name, subgraphs);
    case 'apollo-stock':
      return peers.startApolloStock(subgraphs);
    case 'direct':
      return Promise.resolve({ name: 'direct', url: subgraphs.catalog, process: undefined });
  }
}

/** The Catalog subgraph answers anonymous catalog reads only; every gateway answers them all. */
function operationsOf(gateway: PeerName): readonly Operation[] {
  return gateway === 'direct' ? RUN_OPERATIONS.filter((operation) => CACHEABLE.includes(operation)) : RUN_OPERATIONS;
}

/** Measurement time plus what each costs around it (warm-up, counters, gateway start-up), and the set-up. */
function expectedSeconds(phases: readonly (readonly PeerName[])[]): number {
  const setupSeconds = 90;
  const perMeasurementSeconds = 0.5;
  const perGatewaySeconds = 15;
  let total = setupSeconds;
  for (const names of phases) {
    const measurements = names.reduce((sum, name) => sum + operationsOf(name).length, 0);
    total += measurements * (ROUNDS * (SECONDS + perMeasurementSeconds) + WARMUP_SECONDS + perMeasurementSeconds) + names.length * perGatewaySeconds;
  }
  return total;
}

function measurer(peers: BenchPeers, loader: LoadGenerator, fixture: Fixture) {
  const { subgraphs, ...workloadFixture } = fixture;
  return async (name: PeerName, gateway: RunningGateway, operation: Operation, seconds: number, round: number, phase: Phase): Promise<Row> => {
    await quiet(subgraphs);
    const callsBefore = await subgraphCalls(subgraphs);
    const cpuBefore = gateway.process ? peers.group.cpuMs(gateway.process) : 0;
    loader.send({ type: 'measure', url: gateway.url, operation, fixture: workloadFixture, seconds, connections: CONNECTIONS, seed: 20_260_301 + round });
    const { figures } = await loader.next('measured');
    const cpuMs = gateway.process ? peers.group.cpuMs(gateway.process) - cpuBefore : 0;
    const calls = (await subgraphCalls(subgraphs)) - callsBefore;
    const total = figures.requests;
    return {
      operation,
      gateway: name,
      round,
      rps: round1(total / figures.seconds),
      p50Ms: figures.p50Ms,
      p99Ms: figures.p99Ms,
      errors: figures.failed + figures.graphqlErrors + figures.wrongCaller,
      phase: phase.name,
      failed: figures.failed,
      graphqlErrors: figures.graphqlErrors,
      wrongCaller: figures.wrongCaller,
      ...(figures.firstError === undefined ? {} : { firstError: figures.firstError }),
      gatewayCpuMsPerRequest: gateway.process && total > 0 ? round2(cpuMs / total) : null,
      subgraphCallsPerRequest: total > 0 ? round2(calls / total) : 0,
      loadGeneratorCpuPercent: round1(figures.cpuPercent),
    };
  };
}

/**
 * Every customer's `me` at once (twice each, then all again, so a cache or a folded request would have its chance
 * to mix them up): each answer must be its caller's, with exactly the orders seeded for them.
 */
async function checkIsolation(name: PeerName, gateway: RunningGateway, fixture: Fixture): Promise<PhaseRecord['isolation'][number]> {
  const customers = [...fixture.customers, ...fixture.manyCallers];
  const wrong: string[] = [];
  let requests = 0;
  for (let wave = 0; wave < 2; wave += 1) {
    const answers = await Promise.all(
      [...customers, ...customers].map(async (customer) => {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}` },
          body: JSON.stringify({ query: ME_QUERY, operationName: 'Me' }),
        });
        const body = (await response.json()) as { data?: { me?: { id?: string; orders?: { edges?: { node?: { id?: string } }[] } } } };
        const orderIds = (body.data?.me?.orders?.edges ?? []).map((edge) => edge.node?.id ?? '').sort();
        return { customer, got: body.data?.me?.id, orderIds };
      }),
    );
    requests += answers.length;
    for (const { customer, got, orderIds } of answers) {
      if (got !== customer.sub || orderIds.join(',') !== [...customer.orderIds].sort().join(',')) wrong.push(`${customer.sub} got ${String(got)} with orders ${orderIds.join(',')}`);
    }
  }
  if (wrong.length > 0) throw new Error(`${name} answered ${wrong.length} of ${requests} concurrent me queries with other data than the caller's, e.g. ${wrong[0]}`);
  console.log(`  ${name}: isolation ok (${requests} concurrent me queries of ${customers.length} customers, each with their own orders)`);
  return { gateway: name, requests, wrong: wrong.length };
}

/**
 * Whether a gateway's cache answers repeated reads: each of CACHE_SAMPLES requests of the operation is sent once, then
 * again alone; a repeat that reached no subgraph was a cache hit. A caching gateway must hit at least 9 in 10, a
 * gateway without a cache never.
 */
async function sampleCache(name: PeerName, gateway: RunningGateway, operation: Operation, fixture: Fixture, caching: boolean): Promise<CacheSample> {
  const next = workload(operation, fixture, 1);
  const requests = Array.from({ length: CACHE_SAMPLES }, () => next());
  const send = async (request: (typeof requests)[number]) => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: request.body });
    const body = await response.text();
    if (response.status !== 200 || body.includes('"errors"')) throw new Error(`${name} failed a ${operation} read: HTTP ${response.status} ${body.slice(0, 300)}`);
  };
  await quiet(fixture.subgraphs);
  for (const request of requests) await send(request);
  let hits = 0;
  for (const request of requests) {
    const before = await subgraphCalls(fixture.subgraphs);
    await send(request);
    if ((await subgraphCalls(fixture.subgraphs)) === before) hits += 1;
  }
  const ok = caching ? hits >= Math.ceil(CACHE_SAMPLES * 0.9) : hits === 0;
  console.log(`  ${name}: ${operation} repeated ${CACHE_SAMPLES} times, ${hits} answered from its cache${ok ? '' : ' (CHECK FAILED)'}`);
  return { gateway: name, operation, sampled: CACHE_SAMPLES, hits, ok };
}

async function seed(subgraphs: SubgraphUrls): Promise<Fixture> {
  const call = async (url: string, identity: Identity, query: string, variables: Record<string, unknown>) => {
    const payload = JSON.stringify({ query, variables });
    const signed = signRequest({ caller: identity, method: 'POST', path: new URL(url).pathname, body: payload }, BENCH_SIGNING_SECRET);
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body: payload });
    const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
    if (body.errors) throw new Error(`seeding failed: ${JSON.stringify(body.errors)}`);
    return body.data!;
  };
  const inParallel = async (count: number, task: (index: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let index = next++; index < count; index = next++) await task(index);
    }));
  };
  const productIds: string[] = new Array<string>(PRODUCTS);
  await inParallel(PRODUCTS, async (n) => {
    const data = await call(subgraphs.catalog, BENCH_ADMIN, 'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { sku: `GW-${String(n).padStart(5, '0')}`, name: `Gateway bench product ${n}`, description: 'A product of the gateway benchmark', category: n % 2 ? 'Gadgets' : 'Books', price: { amount: 500 + n, currency: 'USD' }, stockQuantity: 1_000_000 },
    });
    productIds[n] = data['createProduct']!.id;
  });
  const subs = [...Array.from({ length: CUSTOMERS }, (_, index) => `bench-customer-${index + 1}`), ...Array.from({ length: MANY_CALLERS }, (_, index) => `bench-caller-${index + 1}`)];
  const customers: BenchCustomer[] = new Array<BenchCustomer>(subs.length);
  await inParallel(subs.length, async (index) => {
    const caller = { sub: subs[index]!, roles: [] as string[] };
    const orderIds: string[] = [];
    for (let order = 0; order < ORDERS_PER_CUSTOMER; order += 1) {
      const items = [0, 1, 2].map((line) => ({ productId: productIds[(index * 11 + order * 7 + line * 13) % PRODUCTS], quantity: 1 + line }));
      orderIds.push((await call(subgraphs.orders, caller, 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }', { input: { items } }))['placeOrder']!.id);
    }
    customers[index] = { sub: caller.sub, token: await signDevToken({ sub: caller.sub, ttlSeconds: 6 * 3600 }, BENCH_JWT_SECRET), orderIds };
  });
  const adminToken = await signDevToken({ sub: BENCH_ADMIN.sub, roles: [...BENCH_ADMIN.roles], ttlSeconds: 6 * 3600 }, BENCH_JWT_SECRET);
  return { productIds, customers: customers.slice(0, CUSTOMERS), manyCallers: customers.slice(CUSTOMERS), adminToken, subgraphs };
}

/**
 * Waits until the subgraphs have served no request for a moment: a gateway may still be finishing requests whose
 * client the load generator has already let go, and their subgraph calls must not count in the next measurement or
 * sample (nor their work slow it down).
 */
async function quiet(urls: SubgraphUrls, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await subgraphCalls(urls);
  while (Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    const now = await subgraphCalls(urls);
    if (now === last) return;
    last = now;
  }
  console.warn(`  the subgraphs were still being called ${timeoutMs} ms after the load stopped; measuring on`);
}

/** GraphQL requests the subgraphs have served so far (their request metrics). */
async function subgraphCalls(urls: SubgraphUrls): Promise<number> {
  let total = 0;
  for (const url of [urls.catalog, urls.orders, urls.rewards, urls.shipping]) {
    const response = await fetch(url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
    if (response.status !== 200) throw new Error(`${url}: /metrics answered ${response.status}; the subgraph call counts cannot be read`);
    const text = await response.text();
    for (const line of text.split('\n')) {
      if (line.startsWith('http_request_duration_seconds_count{') && line.includes('route="/graphql"')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

interface Summary {
  readonly phase: Phase['name'];
  readonly operation: Operation;
  readonly gateway: PeerName;
  readonly rounds: number;
  readonly rps: Spread;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  readonly rpsSpreadPercent: number;
  readonly errors: number;
  readonly subgraphCallsPerRequest: number;
  readonly gatewayCpuMsPerRequest: number | null;
  readonly loadGeneratorCpuPercent: number;
}

function summarize(rows: readonly Row[], phase: Phase['name'], operation: Operation, gateway: PeerName): Summary | undefined {
  const selected = rows.filter((row) => row.phase === phase && row.operation === operation && row.gateway === gateway);
  if (selected.length === 0) return undefined;
  const rps = spreadOf(selected.map((row) => row.rps));
  const cpu = selected.flatMap((row) => (row.gatewayCpuMsPerRequest === null ? [] : [row.gatewayCpuMsPerRequest]));
  return {
    phase,
    operation,
    gateway,
    rounds: selected.length,
    rps,
    p50Ms: spreadOf(selected.map((row) => row.p50Ms)),
    p99Ms: spreadOf(selected.map((row) => row.p99Ms)),
    rpsSpreadPercent: round1(spreadPercent(rps)),
    errors: selected.reduce((sum, row) => sum + row.errors, 0),
    subgraphCallsPerRequest: spreadOf(selected.map((row) => row.subgraphCallsPerRequest)).median,
    gatewayCpuMsPerRequest: cpu.length > 0 ? spreadOf(cpu).median : null,
    loadGeneratorCpuPercent: round1(spreadOf(selected.map((row) => row.loadGeneratorCpuPercent)).median),
  };
}

function report(rows: readonly Row[], records: readonly PhaseRecord[], timing: { readonly expectedSeconds: number; readonly seconds: number }): BenchReport {
  const summaries: Summary[] = [];
  const ratios: { operation: Operation; phase: Phase['name']; gateway: PeerName; versus: PeerName; rpsRatio: number }[] = [];
  const targets: Target[] = [];
  const sections: string[] = [
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}. ${ROUNDS} rounds, ${SECONDS} s per measurement after ${WARMUP_SECONDS} s of warm-up each, ${CONNECTIONS} connections; ` +
      `load from autocannon in its own process. Took ${Math.round(timing.seconds / 60)} min (expected about ${Math.ceil(timing.expectedSeconds / 60)}).`,
    'Figures are medians over the rounds with [min-max]; spread = (max - min) / median of the rps. calls/req: subgraph requests per client request',
    "(what caches and dedupe saved). cpu ms/req: the gateway process group's CPU per request, comparable within a phase only. load cpu: the load",
    "generator's CPU (% of one core). x <peer>: median rps over that peer's median rps in the same phase.",
  ];
  const checks: string[] = [];
  for (const record of records) {
    const { phase } = record;
    sections.push('', `== ${phase.title} ==`, `Load average (1, 5, 15 min): ${formatLoad(record.loadAverageBefore)} before, ${formatLoad(record.loadAverageAfter)} after.`);
    sections.push(
      table(
        ['row', 'server', 'planner', 'response cache', 'entity cache', 'inbound dedupe', 'fetch dedupe'],
        record.gateways.map((name) => {
          const features = PEER_FEATURES[name];
          return [name, features.server, features.queryPlanner, features.responseCache === false ? 'off' : 'on', onOff(features.entityCache), onOff(features.inboundDedupe), onOff(features.subgraphFetchDedupe)];
        }),
      ),
      ...record.gateways.map((name) => {
        const { responseCache, settings } = PEER_FEATURES[name];
        return `  ${name}: ${settings}${responseCache === false ? '' : `; cache: ${responseCache}`}`;
      }),
    );
    for (const sample of record.cacheSamples) {
      if (!sample.ok) checks.push(`${sample.gateway}: ${sample.operation} repeated ${sample.sampled} times, ${sample.hits} cache hits (${phase.caching ? 'its cache does not hit' : 'it has no cache'})`);
    }
    const summaryRows: string[][] = [];
    for (const operation of RUN_OPERATIONS) {
      for (const gateway of record.gateways) {
        const summary = summarize(rows, phase.name, operation, gateway);
        if (!summary) continue;
        summaries.push(summary);
        const versus = phase.references.map((reference) => {
          const other = summarize(rows, phase.name, operation, reference);
          if (!other || reference === gateway) return '-';
          const ratio = summary.rps.median / other.rps.median;
          ratios.push({ operation, phase: phase.name, gateway, versus: reference, rpsRatio: round2(ratio) });
          return `${ratio.toFixed(2)}x`;
        });
        if (summary.errors > 0) {
          const first = rows.find((row) => row.phase === phase.name && row.operation === operation && row.gateway === gateway && row.firstError !== undefined);
          checks.push(`${gateway}: ${operation} had ${summary.errors} errors over its rounds${first ? `, first: ${first.firstError!}` : ''}`);
        }
        summaryRows.push([
          operation,
          gateway,
          `${summary.rps.median.toFixed(0)} [${summary.rps.min.toFixed(0)}-${summary.rps.max.toFixed(0)}]`,
          `${summary.rpsSpreadPercent.toFixed(0)}%`,
          `${summary.p50Ms.median.toFixed(1)}`,
          `${summary.p99Ms.median.toFixed(1)} [${summary.p99Ms.min.toFixed(1)}-${summary.p99Ms.max.toFixed(1)}]`,
          String(summary.errors),
          ...versus,
          summary.subgraphCallsPerRequest.toFixed(2),
          summary.gatewayCpuMsPerRequest === null ? '-' : summary.gatewayCpuMsPerRequest.toFixed(2),
          `${summary.loadGeneratorCpuPercent.toFixed(0)}%`,
        ]);
      }
    }
    sections.push(
      '',
      table(['operation', 'row', 'rps', 'spread', 'p50 ms', 'p99 ms', 'errors', ...phase.references.map((reference) => `x ${reference}`), 'calls/req', 'cpu ms/req', 'load cpu'], summaryRows),
      '',
      `Cache samples (${CACHE_SAMPLES} repeated reads each, answered without a subgraph request): ` +
        (record.cacheSamples.map((sample) => `${sample.gateway} ${sample.operation} ${sample.hits}/${sample.sampled}`).join(', ') || 'none'),
    );
  }

  const median = (phase: Phase['name'], operation: Operation, gateway: PeerName) => summarize(rows, phase, operation, gateway);
  const cacheHit = (gateway: PeerName) => records.every((record) => record.cacheSamples.filter((sample) => sample.gateway === gateway).every((sample) => sample.ok));
  const notMeasured: string[] = [];
  for (const operation of RUN_OPERATIONS) {
    const throughput = (phase: Phase['name'], project: PeerName, peer: PeerName, factor: number): void => {
      const ours = median(phase, operation, project);
      const theirs = median(phase, operation, peer);
      const what = `${operation}: ${project} rps vs ${peer}`;
      if (!ours || !theirs) {
        notMeasured.push(what);
        return;
      }
      const valid = ours.errors === 0 && theirs.errors === 0 && cacheHit(project) && cacheHit(peer);
      const ratio = ours.rps.median / theirs.rps.median;
      targets.push({
        what,
        target: `>= ${factor.toFixed(1)}x`,
        measured: `${ratio.toFixed(2)}x (${ours.rps.median.toFixed(0)} vs ${theirs.rps.median.toFixed(0)} rps)${valid ? '' : '; rows failed a check'}`,
        met: valid && ratio >= factor,
      });
    };
    throughput('no-cache', 'project-nocache', 'hive-rust', 1.5);
    throughput('no-cache', 'project-nocache', 'hive', 2.0);
    throughput('cache', 'project', 'hive-rust-cache', 2.0);
    for (const record of records) {
      const ours = median(record.phase.name, operation, record.phase.project);
      const others = record.gateways.filter((name) => name !== record.phase.project && name !== 'direct').flatMap((name) => median(record.phase.name, operation, name) ?? []);
      const what = `${operation}: ${record.phase.project} p99 lowest of the ${record.phase.name} phase's gateways`;
      if (!ours || others.length === 0) {
        notMeasured.push(what);
        continue;
      }
      targets.push({
        what,
        target: 'lowest',
        measured: `${ours.p99Ms.median.toFixed(1)} ms vs ${others.map((other) => `${other.gateway} ${other.p99Ms.median.toFixed(1)}`).join(', ')} ms`,
        met: ours.errors === 0 && others.every((other) => ours.p99Ms.median <= other.p99Ms.median),
      });
    }
  }
  sections.push(
    '',
    checks.length === 0 ? 'Checks: every gateway kept each caller to their own data; no errors; caches hit where on and nowhere else.' : ['CHECKS FAILED (the rows concerned do not count):', ...checks.map((check) => `  ${check}`)].join('\n'),
    '',
    targetsSection(targets),
    ...(notMeasured.length > 0 ? [`(${notMeasured.length} targets not measured in this run: BENCH_GATEWAYS / BENCH_OPERATIONS left out their rows.)`] : []),
  );
  return {
    summary: sections.join('\n'),
    data: {
      settings: { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS, products: PRODUCTS, customers: CUSTOMERS, manyCallers: MANY_CALLERS, ordersPerCustomer: ORDERS_PER_CUSTOMER, operations: RUN_OPERATIONS },
      timing: { expectedSeconds: Math.round(timing.expectedSeconds), seconds: Math.round(timing.seconds) },
      phases: records.map((record) => ({
        name: record.phase.name,
        title: record.phase.title,
        gateways: record.gateways,
        loadAverageBefore: record.loadAverageBefore,
        loadAverageAfter: record.loadAverageAfter,
        isolation: record.isolation,
        cacheSamples: record.cacheSamples,
      })),
      features: Object.fromEntries(records.flatMap((record) => record.gateways.map((name) => [name, PEER_FEATURES[name]]))),
      runs: rows,
      summary: summaries,
      ratios,
      checks,
      targets,
    },
  };
}

function progress(rows: readonly Row[]): string {
  return rows
    .map((row) => `  r${row.round} ${row.operation} ${row.gateway}: ${row.rps} rps, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.errors} errors, ${row.subgraphCallsPerRequest} calls/req, ${row.gatewayCpuMsPerRequest ?? '-'} cpu ms/req`)
    .join('\n');
}

function formatLoad(load: readonly number[]): string {
  return load.map((value) => value.toFixed(2)).join(' ');
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

function positiveInteger(name: string, fallback: number): number {
  const value = positive(name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got ${value}`);
  return value;
}

function listFromEnv<const T extends string>(name: string, all: readonly T[]): readonly T[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return all;
  const chosen = raw.split(',').map((item) => item.trim());
  const unknown = chosen.filter((item) => !all.includes(item as T));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')}; choose from ${all.join(', ')}`);
  return all.filter((item) => chosen.includes(item));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
