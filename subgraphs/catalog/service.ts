import { randomUUID } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../lib/ddd';
import { instrumentDynamo } from '../../lib/dynamodb';
import { OutboxWriter } from '../../lib/events';
import { callerFromRequest, createSubgraphServer, mountGraphQL } from '../../lib/graphql';
import { createServiceApp, listen, type RunningServer } from '../../lib/http';
import { createMetricsRegistry } from '../../lib/metrics';
import type { ServiceRuntime } from '../../lib/runtime';
import type { CatalogDependencies } from './application/catalog-dependencies';
import { typeDefs } from './graphql/__generated__/type-defs';
import { createCatalogLoaders, type CatalogContext } from './graphql/catalog-context';
import { catalogResolvers } from './graphql/resolvers';
import { DynamoProductRepository } from './infrastructure/dynamo-product-repository';
import { mountProductsRestApi } from './rest/express-adapter';
import { createProductsRestApi, DEFAULT_REST_CACHE, type ProductsRestApi, type RestApiOptions } from './rest/products-rest-api';

export interface CatalogOptions {
  readonly clock?: Clock;
  /** Freshness of the REST API's responses (tests shorten it to observe revalidation). */
  readonly restCache?: RestApiOptions;
}

export interface Catalog {
  readonly deps: CatalogDependencies;
  readonly outbox: OutboxWriter;
  readonly graphql: ApolloServer<CatalogContext>;
  readonly rest: ProductsRestApi;
  readonly app: Express;
  readonly registry: Registry;
  readonly tableName: string;
}

/**
 * Composition root of the Catalog context: every object it needs, built from configuration. The GraphQL
 * executor is started (Apollo needs that before it is mounted); nothing listens yet.
 */
export async function createCatalog(runtime: ServiceRuntime, options: CatalogOptions = {}): Promise<Catalog> {
  const { config, logger, dynamo } = runtime;
  const tableName = config.dynamodb.tables.catalog;
  const registry = createMetricsRegistry('catalog');
  instrumentDynamo(dynamo.client, registry);

  const outbox = new OutboxWriter(tableName);
  const deps: CatalogDependencies = {
    products: new DynamoProductRepository(dynamo.doc, tableName, outbox),
    clock: options.clock ?? systemClock,
    newId: randomUUID,
  };
  const graphql = createSubgraphServer<CatalogContext>({ typeDefs, resolvers: catalogResolvers, logger });
  const rest = createProductsRestApi(deps, options.restCache ?? DEFAULT_REST_CACHE);

  const app = createServiceApp({
    service: 'catalog',
    logger,
    registry,
    healthChecks: { dynamodb: async () => void (await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }))) },
  });
  mountProductsRestApi(app, rest, logger);
  await graphql.start();
  mountGraphQL(app, graphql, async (req) => ({
    caller: callerFromRequest(req, config.gatewaySigningSecret, logger),
    correlationId: req.correlationId,
    logger,
    deps,
    loaders: createCatalogLoaders(deps),
  }));
  return { deps, outbox, graphql, rest, app, registry, tableName };
}

export interface RunningCatalog extends Catalog {
  readonly http: RunningServer;
  stop(): Promise<void>;
}

/** Starts Catalog's HTTP server (GraphQL on /graphql, REST on /products) on `port` (0: any free port). */
export async function startCatalog(runtime: ServiceRuntime, port: number, options: CatalogOptions = {}): Promise<RunningCatalog> {
  const catalog = await createCatalog(runtime, options);
  const http = await listen(catalog.app, port, runtime.config.host);
  return {
    ...catalog,
    http,
    async stop() {
      await http.close();
      await catalog.graphql.stop();
    },
  };
}
