import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../lib/process';
import { ProcessGroup, tail, type Started } from '../processes';
import { HIVE_GATEWAY_BIN, HIVE_GATEWAY_CONFIG } from './hive-gateway-install';

const ROOT = resolve(__dirname, '../../..');
const TSX = ['--import', 'tsx'];

/** The rows of the gateway benchmark: each a gateway with its features set, or `direct`, the Catalog subgraph itself. */
export const PEER_NAMES = ['project', 'project-nocache', 'hive', 'hive-rust', 'hive-cache', 'hive-rust-cache', 'apollo-stock', 'direct'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

/** What a row had on: stated in the report and its JSON, so a figure is never read without it. */
export interface PeerFeatures {
  readonly server: string;
  readonly queryPlanner: string;
  /** Whole responses reused across requests (and how), or false. */
  readonly responseCache: string | false;
  /** Catalog entities (`_entities` fetches) reused across requests, or false. */
  readonly entityCache: boolean;
  /** Identical queries of the same caller in flight together run once. */
  readonly inboundDedupe: boolean;
  /** Identical subgraph fetches in flight together run once. */
  readonly subgraphFetchDedupe: boolean;
  readonly settings: string;
}

const PROJECT_CACHE = 'in-process map over Redis; TTL and scope (PUBLIC, or PRIVATE per caller) from the subgraphs\' cache hints; tag invalidation';
const HIVE_CACHE = "Hive's responseCaching, in-memory LRU; session = verified caller's sub; TTLs = the subgraphs' cache hints (cache-hints.ts); invalidation by mutation results";
const HIVE_DEDUPE = 'inboundInflightRequestDeduplication keyed on Authorization; deduplicateInflightRequests (default)';

export const PEER_FEATURES: Readonly<Record<PeerName, PeerFeatures>> = {
  project: {
    server: "this project's gateway (Apollo Gateway on Apollo Server), one process",
    queryPlanner: 'JavaScript (@apollo/query-planner)',
    responseCache: PROJECT_CACHE,
    entityCache: true,
    inboundDedupe: true,
    subgraphFetchDedupe: true,
    settings: 'GATEWAY_RESPONSE_CACHE=on GATEWAY_DEDUPE=on GATEWAY_WORKERS=1 (its defaults)',
  },
  'project-nocache': {
    server: "this project's gateway (Apollo Gateway on Apollo Server), one process",
    queryPlanner: 'JavaScript (@apollo/query-planner)',
    responseCache: false,
    entityCache: false,
    inboundDedupe: true,
    subgraphFetchDedupe: true,
    settings: 'GATEWAY_RESPONSE_CACHE=off GATEWAY_DEDUPE=on GATEWAY_WORKERS=1',
  },
  hive: {
    server: 'Hive Gateway, one process',
    queryPlanner: 'JavaScript (default)',
    responseCache: false,
    entityCache: false,
    inboundDedupe: true,
    subgraphFetchDedupe: true,
    settings: HIVE_DEDUPE,
  },
  'hive-rust': {
    server: 'Hive Gateway, one process',
    queryPlanner: 'Rust (--hive-router-runtime)',
    responseCache: false,
    entityCache: false,
    inboundDedupe: true,
    subgraphFetchDedupe: true,
    settings: HIVE_DEDUPE,
  },
  'hive-cache': {
    server: 'Hive Gateway, one process',
    queryPlanner: 'JavaScript (default)',
    responseCache: HIVE_CACHE,
    entityCache: false,
    inboundDedupe: true,
    subgraphFetchDedupe: true,
    settings: `${HIVE_DEDUPE}; responseCaching`,
  },
  'hive-rust-cache': {
    server: 'Hive Gateway, one process',
    queryPlanner: 'Rust (--hive-router-runtime)',
    responseCache: HIVE_CACHE,
    entityCache: false,
    inboundDedupe: true,
    subgraphFetchDedupe: true,
    settings: `${HIVE_DEDUPE}; responseCaching`,
  },
  'apollo-stock': {
    server: 'stock Apollo Gateway on Apollo Server (standalone), one process',
    queryPlanner: 'JavaScript (@apollo/query-planner)',
    responseCache: false,
    entityCache: false,
    inboundDedupe: false,
    subgraphFetchDedupe: false,
    settings: 'defaults (it offers no dedupe); JWT verified and the caller signed to the subgraphs, as every peer',
  },
  direct: {
    server: 'the Catalog subgraph itself, no gateway',
    queryPlanner: '-',
    responseCache: false,
    entityCache: false,
    inboundDedupe: false,
    subgraphFetchDedupe: false,
    settings: 'anonymous catalog reads only',
  },
};

export interface RunningGateway {
  readonly name: string;
  readonly url: string;
  readonly process: Started | undefined;
}

export interface SubgraphUrls {
  readonly catalog: string;
  readonly orders: string;
  readonly rewards: string;
  readonly shipping: string;
}

/**
 * Starts and stops what the gateway benchmark measures, each in its own process group in `group`: the subgraphs
 * (one process each, production mode, logging off) and the gateways (the project's with its response cache on or
 * off, a stock Apollo Gateway, Hive Gateway with and without its Rust planner and its response cache).
 */
export class BenchPeers {
  readonly group: ProcessGroup;
  readonly workDir: string;

  constructor(private readonly env: Record<string, string>) {
    this.workDir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
    this.group = new ProcessGroup(this.workDir);
  }

  async startSubgraphs(): Promise<SubgraphUrls & { readonly processes: Started[] }> {
    const [catalogPort, ordersPort, rewardsPort, shippingPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const ports = { CATALOG_PORT: String(catalogPort), ORDERS_PORT: String(ordersPort), REWARDS_PORT: String(rewardsPort), SHIPPING_PORT: String(shippingPort) };
    const urls = {
      catalog: `http://127.0.0.1:${catalogPort}/graphql`,
      orders: `http://127.0.0.1:${ordersPort}/graphql`,
      rewards: `http://127.0.0.1:${rewardsPort}/graphql`,
      shipping: `http://127.0.0.1:${shippingPort}/graphql`,
    };
    const env = { ...this.env, ...ports, CATALOG_REST_URL: `http://127.0.0.1:${catalogPort}`, SHIPPING_URL: urls.shipping };
    const parts = ['catalog', 'orders', 'rewards', 'shipping'] as const;
    const processes = parts.map((part) => this.group.spawn(part, process.execPath, [...TSX, join(ROOT, 'scripts/run-service.ts'), part], env));
    await Promise.all(parts.map((part, index) => waitForGraphQL(urls[part], processes[index]!)));
    return { ...urls, processes };
  }

  /** A supergraph file whose subgraph URLs are the running ones (the peers read URLs from it). */
  supergraphFile(urls: SubgraphUrls): string {
    const sdl = readFileSync(join(ROOT, 'schema/supergraph.graphql'), 'utf8')
      .replace('http://localhost:4001/graphql', urls.catalog)
      .replace('http://localhost:4002/graphql', urls.orders)
      .replace('http://localhost:4003/graphql', urls.rewards)
      .replace('http://localhost:4005/graphql', urls.shipping);
    const path = join(this.workDir, 'supergraph.graphql');
    writeFileSync(path, sdl);
    return path;
  }

  /** The project's gateway as `npm start`'s standalone part runs it, its response cache on or off (its public switch). */
  async startProject(name: 'project' | 'project-nocache', urls: SubgraphUrls): Promise<RunningGateway> {
    const port = await freePort();
    // BENCH_PROFILE_DIR: the project's gateway writes a V8 CPU profile there when it stops (node --cpu-prof).
    const profile = process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`] : [];
    const started = this.group.spawn(name, process.execPath, [...profile, ...TSX, join(ROOT, 'scripts/run-service.ts'), 'gateway'], {
      ...this.env,
      GATEWAY_PORT: String(port),
      CATALOG_URL: urls.catalog,
      ORDERS_URL: urls.orders,
      REWARDS_URL: urls.rewards,
      SHIPPING_URL: urls.shipping,
      GATEWAY_RESPONSE_CACHE: name === 'project' ? 'on' : 'off',
      GATEWAY_DEDUPE: 'on',
      GATEWAY_WORKERS: '1',
    });
    return this.ready(name, `http://127.0.0.1:${port}/graphql`, started);
  }

  async startApolloStock(urls: SubgraphUrls): Promise<RunningGateway> {
    const port = await freePort();
    const started = this.group.spawn('apollo-stock', process.execPath, [...TSX, join(__dirname, 'apollo-stock-gateway.ts'), this.supergraphFile(urls), String(port)], this.env);
    return this.ready('apollo-stock', `http://127.0.0.1:${port}/graphql`, started);
  }

  /**
   * Hive Gateway (bench/hive-gateway/gateway.config.ts), with the Rust query planner and its response cache as the
   * name says. It must be installed first (ensureHiveGateway).
   */
  async startHive(name: 'hive' | 'hive-rust' | 'hive-cache' | 'hive-rust-cache', urls: SubgraphUrls): Promise<RunningGateway> {
    const port = await freePort();
    const args = [...TSX, HIVE_GATEWAY_BIN, 'supergraph', this.supergraphFile(urls), '--port', String(port), '--host', '127.0.0.1', '--fork', '1', '--config-path', HIVE_GATEWAY_CONFIG, '--disable-websockets'];
    if (name.startsWith('hive-rust')) args.push('--hive-router-runtime');
    const responseCache = name.endsWith('-cache') ? 'on' : 'off';
    const started = this.group.spawn(name, process.execPath, args, { ...this.env, NODE_ENV: 'production', LOG_LEVEL: 'error', BENCH_HIVE_RESPONSE_CACHE: responseCache, BENCH_SCHEMA_DIR: join(ROOT, 'schema') });
    return this.ready(name, `http://127.0.0.1:${port}/graphql`, started);
  }

  private async ready(name: string, url: string, started: Started): Promise<RunningGateway> {
    await waitForGraphQL(url, started);
    return { name, url, process: started };
  }
}

/** Polls `{ __typename }` until the server answers 200, or fails with the process's last output. */
export async function waitForGraphQL(url: string, started: Started, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`${started.name} exited with code ${started.child.exitCode}:\n${tail(started)}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  throw new Error(`${started.name} did not answer at ${url} within ${timeoutMs} ms:\n${tail(started)}`);
}
