/**
 * The Lambda functions' budgets: bundle size (built with the bundling options the CDK app deploys with,
 * infra/lib/bundling.ts) and cold start on this machine: a fresh `node` process that loads a subgraph's bundle
 * and serves its first function URL request (a GraphQL query that reads DynamoDB), timed from spawn to the
 * answer. Starts its own DynamoDB Local and redis-server, and stops them.
 *
 *   npm run bench -- lambda
 *
 * Budgets: each bundle under 1.5 MB minified; cold start under 300 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { loadConfig } from '../lib/config';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { startRedisServer } from '../lib/redis';
import { createServiceRuntime } from '../lib/runtime';
import { ensureTables } from '../scripts/system';
import { graphqlEvent } from '../test/support/lambda';
import { esbuildOptions, LAMBDA_ENTRY_FILES, REPO_ROOT, type LambdaEntryName } from '../infra/lib/bundling';
import { table, type BenchReport, type Target } from './support/bench';

export const BUNDLE_BUDGET_BYTES = 1.5 * 1024 * 1024;
export const COLD_START_BUDGET_MS = 300;
/** Cold starts per subgraph; the median is reported (one slow spawn on a busy machine does not decide). */
const RUNS = 7;

const SIGNING_SECRET = 'bench-lambda-signing-secret-0123456789abcdef';
const EVENT_SIGNING_SECRET = 'bench-lambda-event-signing-secret-0123456789';
const CUSTOMER = { sub: 'bench-customer', roles: [] };
const SUBGRAPHS = ['catalog', 'orders', 'rewards', 'payments', 'shipping'] as const;
type Subgraph = (typeof SUBGRAPHS)[number];

/** Each subgraph's first request: one query that reaches DynamoDB, as the signed customer. */
const FIRST_QUERY: Readonly<Record<Subgraph, string>> = {
  catalog: 'query { product(id: "00000000-0000-4000-8000-000000000000") { id name } }',
  orders: 'query { order(id: "00000000-0000-4000-8000-000000000000") { id status } }',
  rewards: 'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { rewards { balance tier } } } }',
  payments: 'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { payment { status } } } }',
  shipping: 'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { shipment { status } } } }',
};
const FIRST_VARIABLES: Readonly<Record<Subgraph, Record<string, unknown>>> = {
  catalog: {},
  orders: {},
  rewards: { reps: [{ __typename: 'Customer', id: CUSTOMER.sub }] },
  payments: { reps: [{ __typename: 'Order', id: '00000000-0000-4000-8000-000000000000' }] },
  shipping: { reps: [{ __typename: 'Order', id: '00000000-0000-4000-8000-000000000000' }] },
};

/**
 * The process the bench spawns: it loads the bundle as the Lambda runtime does (require), invokes the handler
 * once and prints when the bundle was loaded and when the answer was ready (ms since the process started).
 */
const RUNNER = `'use strict';
const { performance } = require('node:perf_hooks');
const bundle = require(process.env.BENCH_BUNDLE);
const loadedAt = performance.now();
const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 15000 };
Promise.resolve(bundle.handler(JSON.parse(process.env.BENCH_EVENT), context)).then(
  (result) => {
    const answeredAt = performance.now();
    process.stdout.write('\\n@@bench ' + JSON.stringify({ statusCode: result.statusCode, body: result.body, loadedAt, answeredAt }) + '\\n', () => process.exit(0));
  },
  (error) => { console.error(error); process.exit(1); },
);
`;

interface BundleSize {
  readonly entry: LambdaEntryName;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The largest packages in the bundle, by bytes of output. */
  readonly largest: readonly { readonly pkg: string; readonly bytes: number }[];
}

interface ColdStart {
  readonly subgraph: Subgraph;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  /** Median ms from process start to the bundle loaded, and to the first answer (inside the child). */
  readonly loadedMs: number;
  readonly answeredMs: number;
}

export async function run(): Promise<BenchReport> {
  const work = mkdtempSync(join(tmpdir(), 'bench-lambda-'));
  const started: { stop(): Promise<void> }[] = [];
  try {
    const sizes: BundleSize[] = [];
    for (const entry of Object.keys(LAMBDA_ENTRY_FILES) as LambdaEntryName[]) sizes.push(await bundle(entry, work));

    const [dynamo, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
    started.push(dynamo, redis);
    const prefix = `bench-lambda-${process.pid}-`;
    await ensureTables(createServiceRuntime(loadConfig({ NODE_ENV: 'development', DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_PREFIX: prefix, LOG_LEVEL: 'silent' }), 'bench'));
    writeFileSync(join(work, 'runner.js'), RUNNER);

    // The machine's load decides what a cold start costs on it (bench/README.md): read before and after the runs.
    const loadBefore = loadAverage();
    const baselineMs = median(await repeat(RUNS, () => spawnTimed(['-e', '0'], {}).then((result) => result.totalMs)));
    const coldStarts: ColdStart[] = [];
    for (const subgraph of SUBGRAPHS) {
      const env = {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        // The bundle leaves @aws-sdk/* to the runtime, as the nodejs22.x runtime provides it: here, the repo's.
        NODE_PATH: resolve(REPO_ROOT, 'node_modules'),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        TABLE_PREFIX: prefix,
        EVENT_BUS: 'eventbridge',
        EVENT_BUS_NAME: `${prefix}events`,
        GATEWAY_SIGNING_SECRET: SIGNING_SECRET,
        EVENT_SIGNING_SECRET: EVENT_SIGNING_SECRET,
        ...(subgraph === 'orders' ? { REDIS_URL: redis.url, CATALOG_REST_URL: 'http://127.0.0.1:9' } : {}),
        // Payments starts only with Stripe's keys; the first request reads a payment, calling nobody.
        ...(subgraph === 'payments' ? { STRIPE_SECRET_KEY: 'sk_test_BenchLambda', STRIPE_WEBHOOK_SECRET: 'whsec_benchLambda', ORDERS_URL: 'http://127.0.0.1:9/graphql' } : {}),
        BENCH_BUNDLE: join(work, subgraph, 'index.js'),
      };
      // Signed per run: a signature is valid for SIGNED_REQUEST_WINDOW_SECONDS only.
      const event = () => JSON.stringify(graphqlEvent(FIRST_QUERY[subgraph], FIRST_VARIABLES[subgraph], {}, { caller: CUSTOMER, secret: SIGNING_SECRET }));
      const runs = await repeat(RUNS, () => spawnTimed([join(work, 'runner.js')], { ...env, BENCH_EVENT: event() }));
      for (const result of runs) {
        if (result.statusCode !== 200 || !result.body.includes('"data"') || result.body.includes('"errors"')) {
          throw new Error(`${subgraph}: the first request failed (${result.statusCode}): ${result.body.slice(0, 300)}`);
        }
      }
      coldStarts.push({
        subgraph,
        runsMs: runs.map((result) => round(result.totalMs)),
        medianMs: round(median(runs.map((result) => result.totalMs))),
        loadedMs: round(median(runs.map((result) => result.loadedAt))),
        answeredMs: round(median(runs.map((result) => result.answeredAt))),
      });
    }
    return report(sizes, coldStarts, round(baselineMs), { before: loadBefore, after: loadAverage() });
  } finally {
    for (const service of started.reverse()) await service.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function bundle(entry: LambdaEntryName, work: string): Promise<BundleSize> {
  const outfile = join(work, entry, 'index.js');
  const result = await build(esbuildOptions(entry, outfile));
  const code = readFileSync(outfile);
  return { entry, bytes: code.length, gzipBytes: gzipSync(code).length, largest: largestPackages(result.metafile) };
}

function largestPackages(metafile: Metafile): { pkg: string; bytes: number }[] {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const inModules = input.split('node_modules/').pop()!;
    const pkg = input.includes('node_modules/') ? inModules.split('/').slice(0, inModules.startsWith('@') ? 2 : 1).join('/') : '(this repository)';
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...byPackage].map(([pkg, bytes]) => ({ pkg, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 6);
}

interface Spawned {
  readonly totalMs: number;
  readonly statusCode: number;
  readonly body: string;
  readonly loadedAt: number;
  readonly answeredAt: number;
}

/** Spawns `node args`, timing from just before the spawn to the child's answer line (or its exit without one). */
function spawnTimed(args: readonly string[], env: Record<string, string>): Promise<Spawned> {
  return new Promise((resolveRun, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const elapsed = () => Number(process.hrtime.bigint() - start) / 1e6;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = /@@bench (.*)\n/.exec(stdout);
      if (line && !settled) {
        settled = true;
        const totalMs = elapsed();
        const parsed = JSON.parse(line[1]!) as Omit<Spawned, 'totalMs'>;
        resolveRun({ ...parsed, totalMs });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (settled) return;
      if (code === 0 && args[0] === '-e') resolveRun({ totalMs: elapsed(), statusCode: 0, body: '', loadedAt: 0, answeredAt: 0 });
      else reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

async function repeat<T>(times: number, once: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  // One at a time: concurrent spawns would measure contention, not a cold start.
  for (let i = 0; i < times; i += 1) results.push(await once());
  return results;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
/** The 1, 5 and 15 minute load averages. */
const loadAverage = () => loadavg().map((value) => Math.round(value * 100) / 100);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

interface LoadAverages {
  readonly before: readonly number[];
  readonly after: readonly number[];
}

function report(sizes: readonly BundleSize[], coldStarts: readonly ColdStart[], baselineMs: number, load: LoadAverages): BenchReport {
  const targets: Target[] = [
    ...sizes.map((size) => ({
      what: `${size.entry} bundle (minified)`,
      target: `< ${mb(BUNDLE_BUDGET_BYTES)}`,
      measured: `${mb(size.bytes)} (${mb(size.gzipBytes)} gzipped)`,
      met: size.bytes < BUNDLE_BUDGET_BYTES,
    })),
    ...coldStarts.map((cold) => ({
      what: `${cold.subgraph} cold start (spawn -> first answer, median of ${RUNS})`,
      target: `< ${COLD_START_BUDGET_MS} ms`,
      measured: `${cold.medianMs} ms (bundle loaded at ${cold.loadedMs} ms, answered at ${cold.answeredMs} ms in-process)`,
      met: cold.medianMs < COLD_START_BUDGET_MS,
    })),
  ];
  const summary = [
    table(
      ['what', 'target', 'measured', 'met'],
      targets.map((target) => [target.what, target.target, target.measured, target.met ? 'met' : 'MISSED']),
    ),
    '',
    `A bare \`node -e 0\` takes ${baselineMs} ms from spawn to exit on this machine (median of ${RUNS}): the part of each cold start that is Node itself.`,
    `Load average (1, 5, 15 min) on ${cpus().length} cores: ${load.before.join(', ')} before the cold starts, ${load.after.join(', ')} after.`,
    '',
    'Largest packages per bundle:',
    ...sizes.map((size) => `  ${size.entry}: ${size.largest.map((part) => `${part.pkg} ${(part.bytes / 1024).toFixed(0)} KB`).join(', ')}`),
  ].join('\n');
  return { summary, data: { budgets: { bundleBytes: BUNDLE_BUDGET_BYTES, coldStartMs: COLD_START_BUDGET_MS }, runs: RUNS, cores: cpus().length, loadAverageBefore: load.before, loadAverageAfter: load.after, baselineNodeMs: baselineMs, sizes, coldStarts, targets } };
}
