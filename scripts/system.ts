/**
 * The whole system in one process: tables, the subgraphs and the gateway, each on its own port. `npm start`,
 * the end-to-end tests and the benchmarks all start the system through here, so they run the same wiring.
 */
import type { AppConfig } from '../lib/config';
import { ensureTable } from '../lib/dynamodb';
import type { Logger } from '../lib/logging';
import { createServiceRuntime, type ServiceRuntime } from '../lib/runtime';
import { startGateway, type RunningGateway } from '../gateway/service';
import { catalogTable } from '../subgraphs/catalog/infrastructure/catalog-table';
import { startCatalog, type CatalogOptions, type RunningCatalog } from '../subgraphs/catalog/service';

export interface SystemOptions {
  readonly catalog?: CatalogOptions;
  /** Supergraph SDL for the gateway (defaults to schema/supergraph.graphql). */
  readonly supergraphSdl?: string;
}

export interface RunningSystem {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly catalog: RunningCatalog;
  readonly gateway: RunningGateway;
  readonly urls: { readonly gateway: string; readonly catalog: string };
  stop(): Promise<void>;
}

export async function ensureSystemTables(runtime: ServiceRuntime): Promise<void> {
  const { client } = runtime.dynamo;
  const { tables } = runtime.config.dynamodb;
  await Promise.all([ensureTable(client, tables.catalog, catalogTable)]);
}

export async function startSystem(config: AppConfig, options: SystemOptions = {}): Promise<RunningSystem> {
  const runtimeOf = (service: string) => createServiceRuntime(config, service);
  const catalogRuntime = runtimeOf('catalog');
  await ensureSystemTables(catalogRuntime);

  const started: { stop(): Promise<void> }[] = [];
  try {
    const catalog = await startCatalog(catalogRuntime, config.ports.catalog, options.catalog);
    started.push(catalog);

    // Subgraphs may have started on ephemeral ports: the gateway uses their actual addresses.
    const gatewayConfig: AppConfig = {
      ...config,
      urls: { ...config.urls, catalogGraphql: `${catalog.http.url}/graphql`, catalogRest: catalog.http.url },
    };
    const gateway = await startGateway(createServiceRuntime(gatewayConfig, 'gateway'), config.ports.gateway, {
      ...(options.supergraphSdl ? { supergraphSdl: options.supergraphSdl } : {}),
    });
    started.push(gateway);

    return {
      config: gatewayConfig,
      logger: catalogRuntime.logger,
      catalog,
      gateway,
      urls: { gateway: `${gateway.http.url}/graphql`, catalog: catalog.http.url },
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** Stops in reverse start order: the gateway first, so no request reaches a stopped subgraph. */
async function stopAll(started: readonly { stop(): Promise<void> }[]): Promise<void> {
  for (const service of [...started].reverse()) {
    await service.stop();
  }
}
