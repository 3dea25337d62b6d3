/**
 * The gateway under hostile queries: an ordinary catalog query at a steady rate (autocannon) while the abuse corpus
 * (test/fixtures/abuse) is sent alongside, again and again. Rounds without and with the attack alternate (A B A B)
 * so machine noise hits both. Reports the ordinary query's p99 without and with the attack, the gateway process's
 * longest event-loop block (perf_hooks monitorEventLoopDelay) and RSS, and each abusive request's rejection time
 * (arrival to answer on the gateway's clock, and sent to answered on the client's), refused by a query limit or,
 * past the request size limit, before its JSON is parsed. Starts its own DynamoDB Local and the subgraphs here;
 * the gateway runs alone in a child process (bench/abuse-gateway.ts) in production mode with the default limits,
 * and the attacker in another (bench/abuse-attacker.ts), so neither shares an event loop with the load generator
 * whose latencies are reported. Two configurations are measured one after the other:
 * - rate limits off: every abusive request reaches the query analysis, which is what is measured;
 * - the production defaults: rate limits on, the attacker at one address and the ordinary load spread over ten
 *   (X-Forwarded-For from a trusted proxy), so the attacker is soon refused before its requests are even read.
 *
 *   npm run bench -- abuse
 */
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { signDevToken } from '../lib/auth';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { loadConfig, type AppConfig } from '../lib/config';
import { startSystem } from '../scripts/system';
import { abuseCorpus } from '../test/fixtures/abuse/corpus';
import { ATTACKER, type AttackerCommand, type AttackerReply } from './abuse-attacker';
import type { GatewayCommand, GatewayReply } from './abuse-gateway';
import { table, targetsSection, type BenchReport, type Target } from './support/bench';
import { BenchProcess } from './support/bench-process';
import { summarize, type LatencySummary } from './support/percentiles';
import { BENCH_ADMIN, BENCH_JWT_SECRET, benchConfig } from './support/system-env';

const ORDINARY = '{ products(first: 10) { edges { node { id name price { amount currency } inStock } } pageInfo { hasNextPage } } }';
const ROUND_SECONDS = 10;
/** Ordinary requests per second: well below what the 2-core machine serves, so queues do not make the p99. */
const RATE = 50;
const CONNECTIONS = 10;
const ROUNDS = 2;
const MiB = 1024 * 1024;

interface RoundFigures {
  readonly attack: boolean;
  readonly p99Ms: number;
  readonly p50Ms: number;
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly maxBlockMs: number;
  readonly maxRssMiB: number;
  readonly rejectionsNs: Record<string, number[]>;
}

type GatewayProcess = BenchProcess<GatewayCommand, GatewayReply>;
type AttackerProcess = BenchProcess<AttackerCommand, AttackerReply>;

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: { code?: string; details?: { limit?: string } } }[] } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { errors?: { extensions?: { code?: string; details?: { limit?: string } } }[] } };
}

async function seed(url: string): Promise<void> {
  const admin = await signDevToken({ ...BENCH_ADMIN, ttlSeconds: 3600 }, BENCH_JWT_SECRET);
  for (let index = 0; index < 20; index += 1) {
    const created = await post(
      url,
      {
        query: 'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        variables: { input: { sku: `ABUSE-${index}`, name: `Product ${index}`, category: 'bench', price: { amount: 100 + index, currency: 'USD' }, stockQuantity: 10 } },
      },
      admin,
    );
    if (created.body.errors) throw new Error(`seeding failed: ${JSON.stringify(created.body.errors)}`);
  }
}

/** Steady load of the ordinary query for one round, from ten addresses in turn (5 requests a second each). */
function load(url: string): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: ORDINARY }),
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: ROUND_SECONDS,
    requests: [
      {
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'x-forwarded-for': ORDINARY_ADDRESSES[next++ % ORDINARY_ADDRESSES.length]! } }),
      },
    ],
  });
}

interface Rejections {
  readonly times: Map<string, number[]>;
  readonly wrong: string[];
}

/** The ten addresses the ordinary load comes from (the rate limits count them apart from the attacker's). */
const ORDINARY_ADDRESSES = Array.from({ length: 10 }, (_, index) => `198.51.100.${index + 1}`);

async function round(system: GatewayProcess, attacker: AttackerProcess, url: string, withAttack: boolean, rejections: Rejections, rateLimited: boolean): Promise<RoundFigures> {
  system.send({ type: 'measure' });
  await system.next('measuring');
  if (withAttack) attacker.send({ type: 'attack', url, durationMs: ROUND_SECONDS * 1000, rateLimited });
  const result = await load(url);
  if (withAttack) {
    const attacked = await attacker.next('attacked');
    for (const [name, times] of Object.entries(attacked.timesNs)) rejections.times.set(name, [...(rejections.times.get(name) ?? []), ...times]);
    rejections.wrong.push(...attacked.wrong);
  }
  system.send({ type: 'report' });
  const report = await system.next('report');
  return {
    attack: withAttack,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    maxBlockMs: report.maxBlockMs,
    maxRssMiB: report.maxRssBytes / MiB,
    rejectionsNs: report.rejectionsNs,
  };
}

interface Configuration {
  readonly name: string;
  /** Rate limits on (the production default): a refusal may then be RATE_LIMITED as well. */
  readonly rateLimited: boolean;
  readonly config: AppConfig;
}

interface Measured {
  readonly targets: Target[];
  readonly summary: string;
  readonly data: Record<string, unknown>;
}

/** One configuration: its gateway process, a warm-up, then ROUNDS pairs of rounds without and with the attack. */
async function measure(configuration: Configuration): Promise<Measured> {
  const system: GatewayProcess = new BenchProcess('abuse-gateway.ts', { ABUSE_GATEWAY_CONFIG: JSON.stringify(configuration.config) });
  const attacker: AttackerProcess = new BenchProcess('abuse-attacker.ts');
  const { gatewayUrl } = await system.next('ready');
  const corpus = abuseCorpus();
  const rejections: Rejections = { times: new Map(), wrong: [] };
  // Warm-up: JIT, caches, keep-alive pools; its figures are not reported.
  await round(system, attacker, gatewayUrl, true, { times: new Map(), wrong: [] }, configuration.rateLimited);
  const rounds: RoundFigures[] = [];
  for (let index = 0; index < ROUNDS; index += 1) {
    rounds.push(await round(system, attacker, gatewayUrl, false, rejections, configuration.rateLimited));
    rounds.push(await round(system, attacker, gatewayUrl, true, rejections, configuration.rateLimited));
  }
  attacker.send({ type: 'stop' });
  system.send({ type: 'stop' });
  await system.next('stopped');

  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const quiet = rounds.filter((figures) => !figures.attack);
  const attacked = rounds.filter((figures) => figures.attack);
  const quietP99 = mean(quiet.map((figures) => figures.p99Ms));
  const attackedP99 = mean(attacked.map((figures) => figures.p99Ms));
  const longestBlock = Math.max(...attacked.map((figures) => figures.maxBlockMs));
  const quietBlock = Math.max(...quiet.map((figures) => figures.maxBlockMs));
  const maxRss = Math.max(...rounds.map((figures) => figures.maxRssMiB));
  const perCase: { name: string; limit: string | undefined; summary: LatencySummary; server: LatencySummary }[] = corpus.map((abuse, index) => ({
    name: abuse.name,
    limit: abuse.limit,
    summary: summarize(Float64Array.from(rejections.times.get(abuse.name) ?? [])),
    server: summarize(Float64Array.from(attacked.flatMap((figures) => figures.rejectionsNs[String(index)] ?? []))),
  }));
  const slowest = Math.max(...perCase.map((entry) => entry.server.maxUs)) / 1000;
  const sent = perCase.reduce((sum, entry) => sum + entry.summary.count, 0);
  const failures = rounds.reduce((sum, figures) => sum + figures.errors + figures.non2xx, 0);
  const refusal = configuration.rateLimited ? 'the expected refusal or 429 RATE_LIMITED' : '400 QUERY_TOO_COMPLEX with the expected limit, or 413';
  const targets: Target[] = [
    { what: `${configuration.name}: every abusive request refused (${refusal})`, target: `${sent} of ${sent}`, measured: `${sent - rejections.wrong.length} of ${sent}`, met: rejections.wrong.length === 0 },
    { what: `${configuration.name}: slowest abusive request, arrival to refusal (gateway clock)`, target: '< 20 ms', measured: `${slowest.toFixed(1)} ms`, met: slowest < 20 },
    { what: `${configuration.name}: longest event-loop block of the gateway under attack`, target: '< 50 ms', measured: `${longestBlock.toFixed(1)} ms`, met: longestBlock < 50 },
    {
      what: `${configuration.name}: ordinary query p99 under attack vs without`,
      target: '<= 2x',
      measured: `${attackedP99.toFixed(1)} ms vs ${quietP99.toFixed(1)} ms (${(attackedP99 / quietP99).toFixed(2)}x)`,
      met: attackedP99 <= 2 * quietP99,
    },
    { what: `${configuration.name}: ordinary requests failed`, target: '0', measured: String(failures), met: failures === 0 },
  ];
  const summary = [
    `== ${configuration.name} ==`,
    `Ordinary query at ${RATE} req/s over ${CONNECTIONS} connections from ${ORDINARY_ADDRESSES.length} addresses, ${ROUND_SECONDS} s rounds, alternating without and with the attack (from ${ATTACKER}):`,
    table(
      ['round', 'attack', 'requests', 'p50 ms', 'p99 ms', 'longest block ms', 'max RSS MiB'],
      rounds.map((figures, index) => [String(index + 1), figures.attack ? 'yes' : 'no', String(figures.requests), String(figures.p50Ms), String(figures.p99Ms), figures.maxBlockMs.toFixed(1), figures.maxRssMiB.toFixed(0)]),
    ),
    '',
    'Abusive requests, arrival to refusal on the gateway clock (and sent to answered on the client):',
    table(
      ['request', 'refused by', 'sent', 'p50 ms', 'p99 ms', 'max ms', 'client p50 ms', 'client max ms'],
      perCase.map((entry) => [
        entry.name,
        entry.limit ?? 'body size (413)',
        String(entry.server.count),
        (entry.server.p50Us / 1000).toFixed(1),
        (entry.server.p99Us / 1000).toFixed(1),
        (entry.server.maxUs / 1000).toFixed(1),
        (entry.summary.p50Us / 1000).toFixed(1),
        (entry.summary.maxUs / 1000).toFixed(1),
      ]),
    ),
    ...(rejections.wrong.length > 0 ? ['', 'Unexpected answers:', ...rejections.wrong.slice(0, 10)] : []),
    '',
    `Longest event-loop block without the attack: ${quietBlock.toFixed(1)} ms; gateway process RSS peak: ${maxRss.toFixed(0)} MiB.`,
  ].join('\n');
  return {
    targets,
    summary,
    data: {
      name: configuration.name,
      rateLimited: configuration.rateLimited,
      rounds,
      ordinaryP99Ms: { withoutAttack: quietP99, underAttack: attackedP99 },
      longestEventLoopBlockMs: { withoutAttack: quietBlock, underAttack: longestBlock },
      maxRssMiB: maxRss,
      rejections: perCase.map((entry) => ({
        name: entry.name,
        refusedBy: entry.limit ?? 'request size (413)',
        count: entry.server.count,
        gatewayP50Ms: entry.server.p50Us / 1000,
        gatewayP99Ms: entry.server.p99Us / 1000,
        gatewayMaxMs: entry.server.maxUs / 1000,
        clientP50Ms: entry.summary.p50Us / 1000,
        clientMaxMs: entry.summary.maxUs / 1000,
      })),
      unexpectedAnswers: rejections.wrong,
      targets,
    },
  };
}

export async function run(): Promise<BenchReport> {
  const dynamo = await startDynamoDbLocal();
  const subgraphs = await startSystem(benchConfig({ dynamoEndpoint: dynamo.endpoint, tablePrefix: `bench-abuse-${Date.now()}-`, eventBus: 'memory', redisUrl: '' }), { notifications: false });
  try {
    // The seeding and the subgraphs' own gateway run without rate limits; the measured gateways are child processes.
    await seed(subgraphs.urls.gateway);
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: BENCH_JWT_SECRET, GATEWAY_SIGNING_SECRET: 'x'.repeat(32), EVENT_SIGNING_SECRET: 'y'.repeat(32) });
    const configurations: Configuration[] = [
      { name: 'rate limits off (the query analysis alone)', rateLimited: false, config: { ...subgraphs.config, edge: { ...subgraphs.config.edge, trustedProxies: ['loopback'] } } },
      {
        name: 'production defaults (rate limits on)',
        rateLimited: true,
        config: { ...subgraphs.config, edge: { ...subgraphs.config.edge, rateLimit: production.edge.rateLimit, trustedProxies: ['loopback'] } },
      },
    ];
    const measured: Measured[] = [];
    for (const configuration of configurations) measured.push(await measure(configuration));
    const targets = measured.flatMap((entry) => entry.targets);
    const summary = [
      ...measured.map((entry) => entry.summary),
      `Machine load average (1, 5, 15 min) at the end: ${loadavg().map((value) => value.toFixed(1)).join(', ')} on ${String(cpus().length)} cores.`,
      '',
      targetsSection(targets),
    ].join('\n\n');
    return {
      summary,
      data: {
        settings: { rate: RATE, connections: CONNECTIONS, roundSeconds: ROUND_SECONDS, rounds: ROUNDS, ordinaryQuery: ORDINARY, attacker: ATTACKER, ordinaryAddresses: ORDINARY_ADDRESSES },
        configurations: measured.map((entry) => entry.data),
        loadAverage: loadavg(),
        targets,
      },
    };
  } finally {
    await subgraphs.stop();
    await dynamo.stop();
  }
}
