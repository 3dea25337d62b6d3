import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import { createSubgraphService, listenService, type Listening, type ServiceRuntime } from '../../lib/runtime';
import type { CatalogContext } from './graphql/catalog-context';
import { catalogModule, type CatalogModule, type CatalogOptions } from './composition';

export { catalogModule, type CatalogModule, type CatalogOptions } from './composition';

export interface Catalog extends CatalogModule {
  readonly graphql: ApolloServer<CatalogContext>;
  readonly app: Express;
  close(): Promise<void>;
}

/** The Catalog HTTP service: GraphQL executor started, app built, not listening yet. */
export async function createCatalog(runtime: ServiceRuntime, options: CatalogOptions = {}): Promise<Catalog> {
  const module = catalogModule(runtime, options);
  const { graphql, app } = await createSubgraphService(runtime, module.graphqlSpec);
  return { ...module, graphql, app, close: () => graphql.stop() };
}

export type RunningCatalog = Catalog & Listening;

/** Starts Catalog's HTTP server (GraphQL on /graphql, REST on /products) on `port` (0: any free port). */
export async function startCatalog(runtime: ServiceRuntime, port: number, options: CatalogOptions = {}): Promise<RunningCatalog> {
  const catalog = await createCatalog(runtime, options);
  return { ...catalog, ...(await listenService(catalog, runtime, port)) };
}
