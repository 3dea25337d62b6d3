import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../lib/ddd';
import { instrumentDynamo } from '../../lib/dynamodb';
import { OutboxWriter } from '../../lib/events';
import { mountInternalApi } from '../../lib/internal-api/express';
import { createInternalRouter, type InternalApi } from '../../lib/internal-api/router';
import { createMetricsRegistry } from '../../lib/metrics';
import type { ServiceRuntime } from '../../lib/runtime/service-runtime';
import type { SubgraphServiceSpec } from '../../lib/runtime/subgraph-spec';
import type { CatalogDependencies } from './application/catalog-dependencies';
import { subgraphSchema } from './graphql/__generated__/subgraph-schema';
import { createCatalogLoaders, type CatalogContext } from './graphql/catalog-context';
import { catalogResolvers } from './graphql/resolvers';
import { DynamoProductRepository } from './infrastructure/dynamo-product-repository';
import { DynamoStockHoldRepository } from './infrastructure/dynamo-stock-hold-repository';
import { stockHoldsRoutes } from './internal/stock-holds-api';
import { mountProductsRestApi } from './rest/express-adapter';
import { createProductsRestApi, DEFAULT_REST_CACHE, type ProductsRestApi, type RestApiOptions } from './rest/products-rest-api';

export interface CatalogOptions {
  readonly clock?: Clock;
  /** Freshness of the REST API's responses (tests shorten it to observe revalidation). */
  readonly restCache?: RestApiOptions;
}

/** Catalog's objects without any server: what the HTTP service, the Lambda handlers and scripts share. */
export interface CatalogModule {
  readonly deps: CatalogDependencies;
  readonly outbox: OutboxWriter;
  readonly rest: ProductsRestApi;
  /** The internal API (stock-holds commands Orders calls; signed service identity only). */
  readonly internal: InternalApi;
  readonly registry: Registry;
  readonly tableName: string;
  readonly graphqlSpec: SubgraphServiceSpec<CatalogContext>;
}

/** Composition root of the Catalog context: every object it needs, built from configuration. */
export function catalogModule(runtime: ServiceRuntime, options: CatalogOptions = {}): CatalogModule {
  const { config, logger, dynamo } = runtime;
  const tableName = config.dynamodb.tables.catalog;
  const registry = createMetricsRegistry('catalog');
  instrumentDynamo(dynamo.client, registry);
  const outbox = new OutboxWriter(tableName);
  const deps: CatalogDependencies = {
    products: new DynamoProductRepository(dynamo.doc, tableName, outbox),
    clock: options.clock ?? systemClock,
    newId: randomUUID,
    holds: new DynamoStockHoldRepository(dynamo.doc, tableName, outbox),
    holdTtlSeconds: config.stockHolds.ttlSeconds,
  };
  const rest = createProductsRestApi(deps, options.restCache ?? DEFAULT_REST_CACHE);
  const internal = createInternalRouter({
    service: 'catalog',
    signingSecret: config.gatewaySigningSecret,
    windowSeconds: config.signedRequestWindowSeconds,
    routes: stockHoldsRoutes(deps),
    logger,
  });
  return {
    deps,
    outbox,
    rest,
    internal,
    registry,
    tableName,
    graphqlSpec: {
      name: 'catalog',
      tableName,
      registry,
      schema: subgraphSchema,
      resolvers: catalogResolvers,
      routes: (app) => {
        mountProductsRestApi(app, rest, logger);
        mountInternalApi(app, internal);
      },
      context: (base) => {
        const cacheTags = new Set<string>();
        return { ...base, deps, loaders: createCatalogLoaders(deps, cacheTags), cacheTags };
      },
    },
  };
}
