/**
 * Gateway throughput against its peers, over the same running subgraphs (production mode, logging off, rate limits
 * off): the project's gateway, a stock Apollo Gateway + Apollo Server, Hive Gateway with its defaults and with its
 * Rust query planner, and the Catalog subgraph directly. Gateways and operations are interleaved, round after round
 * in a rotating order, so machine noise falls on all alike. Then each performance lever of the project's gateway is
 * turned off alone (environment variables) to show what it is worth.
 *
 *   npm run bench -- gateway
 *   BENCH_SECONDS=10 BENCH_ROUNDS=3 BENCH_CONNECTIONS=30 BENCH_LEVERS=on npm run bench -- gateway
 *
 * Load comes from autocannon in this process; its CPU is reported. Gateway CPU is read from /proc for the gateway's
 * whole process group (workers included). Writes bench/results/gateway.json with a `runs` row per measurement.
 */
import { createHash } from 'node:crypto';
import autocannon from 'autocannon';
import { signDevToken, signRequest, type Identity } from '../lib/auth';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { startRedisServer } from '../lib/redis';
import { table, targetsSection, type BenchReport, type Target } from './support/bench';
import { BenchPeers, type RunningGateway, type SubgraphUrls } from './support/peers/gateways';
import type { Started } from './support/processes';
import { BENCH_ADMIN, BENCH_EVENT_SIGNING_SECRET, BENCH_JWT_SECRET, BENCH_METRICS_TOKEN, BENCH_SIGNING_SECRET } from './support/system-env';
import { seededRandom, zipfSampler } from './support/zipf';

const SECONDS = positive('BENCH_SECONDS', 10);
const ROUNDS = positive('BENCH_ROUNDS', 3);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 30);
const WARMUP_SECONDS = positive('BENCH_WARMUP_SECONDS', 3);
const LEVERS = (process.env['BENCH_LEVERS'] ?? 'on') !== 'off';
const PRODUCTS = 200;
const CUSTOMERS = 8;
const ORDERS_PER_CUSTOMER = 5;

type Operation = 'products' | 'product' | 'me' | 'mixed';
/** BENCH_OPERATIONS / BENCH_GATEWAYS (comma lists) narrow a run while iterating; the full run measures all. */
const OPERATIONS = listFromEnv('BENCH_OPERATIONS', ['products', 'product', 'me', 'mixed'] as const);
const PEERS = listFromEnv('BENCH_GATEWAYS', ['project', 'apollo-stock', 'hive', 'hive-rust', 'direct'] as const);

const PRODUCTS_QUERY = 'query Products { products(first: 20) { edges { node { id name price { amount currency } inStock } } pageInfo { hasNextPage endCursor } } }';
const PRODUCT_QUERY = 'query Product($id: ID!) { product(id: $id) { id name description price { amount currency } stockQuantity inStock } }';
const ME_QUERY =
  'query Me { me { id orders(first: 10) { edges { node { id status total { amount currency } items { quantity product { id name price { amount currency } } } } } } rewards { balance tier } } }';
const PRICE_MUTATION = 'mutation Price($id: ID!, $price: MoneyInput!) { changeProductPrice(id: $id, price: $price) { id price { amount } } }';

/** Levers of the project's gateway, each turned off alone. */
const LEVER_VARIANTS: readonly { readonly name: string; readonly env: Record<string, string>; readonly what: string }[] = [
  { name: 'dedupe-off', env: { GATEWAY_DEDUPE: 'off' }, what: 'in-flight dedupe off' },
  { name: 'cache-off', env: { GATEWAY_RESPONSE_CACHE: 'off' }, what: 'response and entity cache off' },
  { name: 'default-fetcher', env: { GATEWAY_SUBGRAPH_FETCHER: 'default' }, what: "@apollo/gateway's default fetcher instead of undici" },
  { name: 'express-path', env: { GATEWAY_LEAN_HTTP: 'off' }, what: 'Express, pino-http and AsyncLocalStorage on /graphql' },
  { name: 'all-off', env: { GATEWAY_DEDUPE: 'off', GATEWAY_RESPONSE_CACHE: 'off', GATEWAY_SUBGRAPH_FETCHER: 'default', GATEWAY_LEAN_HTTP: 'off' }, what: 'every lever off' },
  { name: 'workers-2', env: { GATEWAY_WORKERS: '2' }, what: 'GATEWAY_WORKERS=2 (every lever on)' },
  { name: 'apq-hashes', env: {}, what: 'clients send persisted query hashes (APQ) instead of documents' },
];

/** Variants whose load sends APQ hashes instead of the documents (registered once first). */
const APQ_CLIENTS = new Set(['project-apq-hashes']);
const LEVER_OPERATIONS: readonly Operation[] = ['product', 'me'];

interface Row {
  readonly operation: Operation;
  readonly gateway: string;
  readonly round: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly gatewayCpuMsPerRequest: number;
  readonly subgraphCallsPerRequest: number;
  readonly loadGeneratorCpuPercent: number;
}

interface Fixture {
  readonly productIds: readonly string[];
  readonly customerTokens: readonly string[];
  readonly adminToken: string;
  readonly subgraphs: SubgraphUrls & { readonly processes: Started[] };
}

export async function run(): Promise<BenchReport> {
  const stops: { stop(): Promise<void> }[] = [];
  let peers: BenchPeers | undefined;
  try {
    const [dynamo, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
    stops.push(dynamo, redis);
    const env: Record<string, string> = {
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
    };
    peers = new BenchPeers(env);
    const subgraphs = await peers.startSubgraphs();
    const fixture = await seed(subgraphs);
    const start: Record<(typeof PEERS)[number], () => Promise<RunningGateway>> = {
      project: () => peers!.startProject('project', subgraphs),
      'apollo-stock': () => peers!.startApolloStock(subgraphs),
      hive: () => peers!.startHive(subgraphs, false),
      'hive-rust': () => peers!.startHive(subgraphs, true),
      direct: async () => ({ name: 'direct', url: subgraphs.catalog, process: undefined }),
    };
    const gateways: Record<string, RunningGateway> = {};
    for (const name of PEERS) gateways[name] = await start[name]();
    const rows: Row[] = [];
    const measure = makeMeasure(peers, fixture);
    // Every gateway must answer each customer with their own data under concurrency before its figures count.
    for (const name of PEERS) if (name !== 'direct') await checkIsolation(gateways[name]!, fixture);

    for (const name of PEERS) for (const operation of operationsOf(name)) await measure(gateways[name]!, operation, WARMUP_SECONDS, 0);
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const operation of OPERATIONS) {
        const order = rotate(PEERS.filter((name) => operationsOf(name).includes(operation)), round);
        for (const name of order) rows.push(await measure(gateways[name]!, operation, SECONDS, round));
        console.log(progress(rows.slice(-order.length)));
      }
    }

    const leverRows: Row[] = [];
    if (LEVERS) {
      const variants: Record<string, RunningGateway> = { project: gateways['project'] ?? (await peers.startProject('project', subgraphs)) };
      for (const variant of LEVER_VARIANTS) variants[`project-${variant.name}`] = await peers.startProject(`project-${variant.name}`, subgraphs, variant.env);
      // The peers are idle from here on; stop them so the lever runs have the machine.
      for (const name of ['apollo-stock', 'hive', 'hive-rust'] as const) if (gateways[name]) await peers.group.stop(gateways[name].process!);
      const names = Object.keys(variants);
      for (const name of names) for (const operation of LEVER_OPERATIONS) await measure(variants[name]!, operation, WARMUP_SECONDS, 0);
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (const operation of LEVER_OPERATIONS) {
          for (const name of rotate(names, round)) leverRows.push(await measure(variants[name]!, operation, SECONDS, round));
          console.log(progress(leverRows.slice(-names.length)));
        }
      }
    }
    return report(rows, leverRows);
  } finally {
    await peers?.group.stopAll();
    for (const service of stops.reverse()) await service.stop();
  }
}

function operationsOf(gateway: string): readonly Operation[] {
  return gateway === 'direct' ? ['products', 'product'] : OPERATIONS;
}

function makeMeasure(peers: BenchPeers, fixture: Fixture) {
  return async (gateway: RunningGateway, operation: Operation, seconds: number, round: number): Promise<Row> => {
    const random = seededRandom(20_260_301 + round);
    const zipf = zipfSampler(fixture.productIds.length, 1.1, random);
    let sequence = 0;
    let graphqlErrors = 0;
    let priceToggle = 0;
    // Anonymous operations carry no identity, to a gateway or to the subgraph directly.
    const anonymous = {};
    const apq = APQ_CLIENTS.has(gateway.name);
    if (apq) await registerPersistedQueries(gateway, fixture);
    const encode = (request: { query: string; operationName: string; variables?: Record<string, unknown> }) =>
      JSON.stringify(apq ? { operationName: request.operationName, variables: request.variables ?? {}, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(request.query) } } } : request);
    const body = (): { body: string; headers: Record<string, string> } => {
      sequence += 1;
      const kind = operation === 'mixed' ? mixedKind(sequence) : operation;
      switch (kind) {
        case 'products':
          return { body: encode({ query: PRODUCTS_QUERY, operationName: 'Products' }), headers: anonymous };
        case 'product':
          return { body: encode({ query: PRODUCT_QUERY, operationName: 'Product', variables: { id: fixture.productIds[zipf()]! } }), headers: anonymous };
        case 'me':
          return { body: encode({ query: ME_QUERY, operationName: 'Me' }), headers: { authorization: `Bearer ${fixture.customerTokens[sequence % fixture.customerTokens.length]}` } };
        default:
          priceToggle += 1;
          return {
            body: encode({
              query: PRICE_MUTATION,
              operationName: 'Price',
              variables: { id: fixture.productIds[zipf()]!, price: { amount: 1000 + (priceToggle % 50), currency: 'USD' } },
            }),
            headers: { authorization: `Bearer ${fixture.adminToken}` },
          };
      }
    };
    const callsBefore = await subgraphCalls(fixture.subgraphs);
    const cpuBefore = gateway.process ? peers.group.cpuMs(gateway.process) : 0;
    const loadBefore = process.cpuUsage();
    const result = await autocannon({
      url: gateway.url,
      connections: CONNECTIONS,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (request) => {
            const next = body();
            return { ...request, body: next.body, headers: { ...request.headers, 'content-type': 'application/json', ...next.headers } };
          },
          onResponse: (_status, responseBody) => {
            if (responseBody.includes('"errors"')) graphqlErrors += 1;
          },
        },
      ],
    });
    const load = process.cpuUsage(loadBefore);
    const cpuMs = gateway.process ? peers.group.cpuMs(gateway.process) - cpuBefore : 0;
    const calls = (await subgraphCalls(fixture.subgraphs)) - callsBefore;
    const total = result.requests.total;
    const elapsedSeconds = result.duration;
    return {
      operation,
      gateway: gateway.name,
      round,
      rps: round1(total / elapsedSeconds),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
      gatewayCpuMsPerRequest: total > 0 ? round2(cpuMs / total) : 0,
      subgraphCallsPerRequest: total > 0 ? round2(calls / total) : 0,
      loadGeneratorCpuPercent: round1(((load.user + load.system) / 1000 / (elapsedSeconds * 1000)) * 100),
    };
  };
}

/** Registers the benchmark's documents with a gateway's automatic persisted queries (hash and document once). */
async function registerPersistedQueries(gateway: RunningGateway, fixture: Fixture): Promise<void> {
  for (const [query, operationName, variables, token] of [
    [PRODUCTS_QUERY, 'Products', {}, undefined],
    [PRODUCT_QUERY, 'Product', { id: fixture.productIds[0] }, undefined],
    [ME_QUERY, 'Me', {}, fixture.customerTokens[0]],
  ] as const) {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }),
    });
    if (response.status !== 200) throw new Error(`${gateway.name} refused to register ${operationName}: HTTP ${response.status} ${await response.text()}`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** 64 concurrent `me` queries over the customers: each answer must be its caller's (no dedupe or cache mixes them). */
async function checkIsolation(gateway: RunningGateway, fixture: Fixture): Promise<void> {
  const answers = await Promise.all(
    Array.from({ length: 64 }, async (_, n) => {
      const index = n % fixture.customerTokens.length;
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fixture.customerTokens[index]}` },
        body: JSON.stringify({ query: ME_QUERY, operationName: 'Me' }),
      });
      const body = (await response.json()) as { data?: { me?: { id?: string } } };
      return { expected: `bench-customer-${index + 1}`, got: body.data?.me?.id };
    }),
  );
  const wrong = answers.filter((answer) => answer.expected !== answer.got);
  if (wrong.length > 0) throw new Error(`${gateway.name} answered ${wrong.length} of 64 concurrent me queries with another caller's data, e.g. ${JSON.stringify(wrong[0])}`);
}

/** The mixed workload: 19 reads of the three kinds, then one price change (1 mutation in 20). */
function mixedKind(sequence: number): Operation | 'mutation' {
  if (sequence % 20 === 0) return 'mutation';
  return (['products', 'product', 'me', 'product'] as const)[sequence % 4]!;
}

async function seed(subgraphs: SubgraphUrls & { readonly processes: Started[] }): Promise<Fixture> {
  const call = async (url: string, identity: Identity, query: string, variables: Record<string, unknown>) => {
    const payload = JSON.stringify({ query, variables });
    const signed = signRequest({ caller: identity, method: 'POST', path: new URL(url).pathname, body: payload }, BENCH_SIGNING_SECRET);
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body: payload });
    const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
    if (body.errors) throw new Error(`seeding failed: ${JSON.stringify(body.errors)}`);
    return body.data!;
  };
  const productIds: string[] = new Array<string>(PRODUCTS);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let n = next++; n < PRODUCTS; n = next++) {
        const data = await call(subgraphs.catalog, BENCH_ADMIN, 'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
          input: { sku: `GW-${String(n).padStart(5, '0')}`, name: `Gateway bench product ${n}`, description: 'A product of the gateway benchmark', category: n % 2 ? 'Gadgets' : 'Books', price: { amount: 500 + n, currency: 'USD' }, stockQuantity: 1_000_000 },
        });
        productIds[n] = data['createProduct']!.id;
      }
    }),
  );
  const customers = Array.from({ length: CUSTOMERS }, (_, index) => ({ sub: `bench-customer-${index + 1}`, roles: [] as string[] }));
  for (const customer of customers) {
    for (let order = 0; order < ORDERS_PER_CUSTOMER; order += 1) {
      const items = [0, 1, 2].map((line) => ({ productId: productIds[(order * 7 + line * 13 + customer.sub.length) % PRODUCTS], quantity: 1 + line }));
      await call(subgraphs.orders, customer, 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }', { input: { items } });
    }
  }
  const customerTokens = await Promise.all(customers.map((customer) => signDevToken({ sub: customer.sub, ttlSeconds: 6 * 3600 }, BENCH_JWT_SECRET)));
  const adminToken = await signDevToken({ sub: BENCH_ADMIN.sub, roles: [...BENCH_ADMIN.roles], ttlSeconds: 6 * 3600 }, BENCH_JWT_SECRET);
  return { productIds, customerTokens, adminToken, subgraphs };
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

function report(rows: readonly Row[], leverRows: readonly Row[]): BenchReport {
  const mean = (values: readonly number[]) => (values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length);
  const of = (source: readonly Row[], gateway: string, operation: Operation) => source.filter((row) => row.gateway === gateway && row.operation === operation);
  const summary = (source: readonly Row[], gateway: string, operation: Operation) => {
    const selected = of(source, gateway, operation);
    return {
      rps: mean(selected.map((row) => row.rps)),
      p50: mean(selected.map((row) => row.p50Ms)),
      p99: mean(selected.map((row) => row.p99Ms)),
      errors: selected.reduce((sum, row) => sum + row.errors, 0),
      cpu: mean(selected.map((row) => row.gatewayCpuMsPerRequest)),
      calls: mean(selected.map((row) => row.subgraphCallsPerRequest)),
      load: mean(selected.map((row) => row.loadGeneratorCpuPercent)),
    };
  };
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-');
  const summaryRows = OPERATIONS.flatMap((operation) =>
    PEERS.filter((gateway) => operationsOf(gateway).includes(operation)).map((gateway) => {
      const s = summary(rows, gateway, operation);
      const hive = summary(rows, 'hive', operation).rps;
      const direct = summary(rows, 'direct', operation).rps;
      return [operation, gateway, s.rps.toFixed(0), s.p50.toFixed(1), s.p99.toFixed(1), String(s.errors), ratio(s.rps, hive), ratio(s.rps, direct), s.calls.toFixed(2), gateway === 'direct' ? '-' : s.cpu.toFixed(2), `${s.load.toFixed(0)}%`];
    }),
  );
  const leverSummary = LEVER_OPERATIONS.flatMap((operation) =>
    ['project', ...LEVER_VARIANTS.map((variant) => `project-${variant.name}`)].map((gateway) => {
      const s = summary(leverRows, gateway, operation);
      const on = summary(leverRows, 'project', operation).rps;
      return [operation, gateway, s.rps.toFixed(0), s.p99.toFixed(1), String(s.errors), ratio(s.rps, on), s.calls.toFixed(2), s.cpu.toFixed(2)];
    }),
  );

  const targets: Target[] = [];
  for (const operation of OPERATIONS) {
    const project = summary(rows, 'project', operation);
    const rust = summary(rows, 'hive-rust', operation);
    const hive = summary(rows, 'hive', operation);
    const stock = summary(rows, 'apollo-stock', operation);
    targets.push(
      { what: `${operation}: rps vs Hive + Rust planner`, target: '>= 1.0x', measured: ratio(project.rps, rust.rps), met: project.rps >= rust.rps },
      { what: `${operation}: rps vs Hive defaults`, target: '>= 1.5x', measured: ratio(project.rps, hive.rps), met: project.rps >= 1.5 * hive.rps },
      { what: `${operation}: p99 vs Hive + Rust planner`, target: 'no worse', measured: `${project.p99.toFixed(1)} vs ${rust.p99.toFixed(1)} ms`, met: project.p99 <= rust.p99 },
      { what: `${operation}: gateway CPU/request vs stock Apollo`, target: '<= stock', measured: `${project.cpu.toFixed(2)} vs ${stock.cpu.toFixed(2)} ms`, met: project.cpu <= stock.cpu },
    );
  }
  if (leverRows.length > 0) {
    const uncached = summary(leverRows, 'project-cache-off', 'product');
    const direct = summary(rows, 'direct', 'product');
    targets.push({ what: 'product(id:) without the response cache vs direct subgraph', target: '>= 0.8x', measured: ratio(uncached.rps, direct.rps), met: uncached.rps >= 0.8 * direct.rps });
  }

  const text = [
    `${CONNECTIONS} connections, ${SECONDS} s per measurement, ${ROUNDS} interleaved rounds (gateway order rotates each round), after ${WARMUP_SECONDS} s warm-up each.`,
    'Means over rounds. vs hive / vs direct: rps ratios. calls/req: subgraph GraphQL requests per client request. cpu ms/req: the gateway',
    "process group's CPU (/proc) per request. load cpu: the load generator's (autocannon, this process) CPU, % of one core.",
    table(['operation', 'gateway', 'rps', 'p50 ms', 'p99 ms', 'errors', 'vs hive', 'vs direct', 'calls/req', 'cpu ms/req', 'load cpu'], summaryRows),
    ...(leverRows.length > 0
      ? ['', 'Levers of the project gateway, each off alone (same interleaving; the peers stopped):', table(['operation', 'variant', 'rps', 'p99 ms', 'errors', 'vs all on', 'calls/req', 'cpu ms/req'], leverSummary)]
      : []),
    '',
    targetsSection(targets),
  ].join('\n');
  const strip = ({ operation, gateway, round, rps, p50Ms, p99Ms, errors }: Row) => ({ operation, gateway, round, rps, p50Ms, p99Ms, errors });
  return {
    summary: text,
    data: {
      settings: { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS, products: PRODUCTS, customers: CUSTOMERS },
      runs: rows.map(strip),
      measurements: rows,
      levers: leverRows,
      targets,
    },
  };
}

function progress(rows: readonly Row[]): string {
  return rows.map((row) => `  r${row.round} ${row.operation} ${row.gateway}: ${row.rps} rps, p99 ${row.p99Ms} ms, ${row.errors} errors, ${row.gatewayCpuMsPerRequest} cpu ms/req, ${row.subgraphCallsPerRequest} calls/req`).join('\n');
}

function rotate<T>(items: readonly T[], by: number): T[] {
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

function listFromEnv<const T extends string>(name: string, all: readonly T[]): readonly T[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return all;
  const chosen = raw.split(',').map((item) => item.trim());
  const unknown = chosen.filter((item) => !all.includes(item as T));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')}; choose from ${all.join(', ')}`);
  return chosen as T[];
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
