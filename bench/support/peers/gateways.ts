import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../lib/process';
import { ProcessGroup, tail, type Started } from '../processes';

const ROOT = resolve(__dirname, '../../..');
const TSX = ['--import', 'tsx'];

/** The gateways the benchmark compares; `direct` is the Catalog subgraph itself. */
export type PeerName = 'project' | 'apollo-stock' | 'hive' | 'hive-rust' | 'direct';

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
 * (one process each, production mode, logging off) and the gateways (the project's with its levers set by
 * environment, a stock Apollo Gateway, Hive Gateway with and without its Rust planner).
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

  /** The project's gateway as `npm start`'s standalone part runs it, with `levers` overriding its environment. */
  async startProject(name: string, urls: SubgraphUrls, levers: Record<string, string> = {}): Promise<RunningGateway> {
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
      ...levers,
    });
    return this.ready(name, `http://127.0.0.1:${port}/graphql`, started);
  }

  async startApolloStock(urls: SubgraphUrls): Promise<RunningGateway> {
    const port = await freePort();
    const started = this.group.spawn('apollo-stock', process.execPath, [...TSX, join(__dirname, 'apollo-stock-gateway.ts'), this.supergraphFile(urls), String(port)], this.env);
    return this.ready('apollo-stock', `http://127.0.0.1:${port}/graphql`, started);
  }

  async startHive(urls: SubgraphUrls, rustPlanner: boolean): Promise<RunningGateway> {
    const port = await freePort();
    const name = rustPlanner ? 'hive-rust' : 'hive';
    const bin = join(ROOT, 'node_modules/@graphql-hive/gateway/dist/bin.js');
    const args = [...TSX, bin, 'supergraph', this.supergraphFile(urls), '--port', String(port), '--host', '127.0.0.1', '--config-path', join(__dirname, 'hive-gateway.config.ts'), '--disable-websockets'];
    if (rustPlanner) args.push('--hive-router-runtime');
    const started = this.group.spawn(name, process.execPath, args, { ...this.env, NODE_ENV: 'production', LOG_LEVEL: 'error' });
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
