import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../lib/ddd';
import { instrumentDynamo } from '../../lib/dynamodb';
import { OutboxWriter } from '../../lib/events';
import { createMetricsRegistry } from '../../lib/metrics';
import { createSubgraphService, listenService, type Listening, type ServiceRuntime, type SubgraphServiceSpec } from '../../lib/runtime';
import type { OrdersDependencies } from './application/orders-dependencies';
import type { ProductCacheInvalidator, ProductCatalog } from './application/product-catalog';
import { typeDefs } from './graphql/__generated__/type-defs';
import { createOrderLoader, requestScopedCatalog, type OrdersContext } from './graphql/orders-context';
import { ordersResolvers } from './graphql/resolvers';
import { catalogAclSettings, createCatalogAcl } from './infrastructure/catalog-acl';
import { DynamoOrderRepository } from './infrastructure/dynamo-order-repository';

export type CatalogAcl = ProductCatalog & ProductCacheInvalidator & { close(): Promise<void> };

export interface OrdersOptions {
  readonly clock?: Clock;
}

/** Orders' objects without any server: what the HTTP service, the Lambda handlers and the consumers share. */
export interface OrdersModule {
  /** Dependencies with the shared ACL as catalog (event handlers use it directly; requests get a batching view). */
  readonly deps: OrdersDependencies;
  readonly acl: CatalogAcl;
  readonly outbox: OutboxWriter;
  readonly registry: Registry;
  readonly tableName: string;
  readonly graphqlSpec: SubgraphServiceSpec<OrdersContext>;
}

/**
 * Composition root of the Orders context: repository, the Catalog anti-corruption layer (HTTP cache shared
 * through Redis when configured) and the use cases' dependencies, built from configuration.
 */
export function ordersModule(runtime: ServiceRuntime, options: OrdersOptions = {}): OrdersModule {
  const { config, logger, dynamo } = runtime;
  const tableName = config.dynamodb.tables.orders;
  const registry = createMetricsRegistry('orders');
  instrumentDynamo(dynamo.client, registry);
  const acl: CatalogAcl = createCatalogAcl({ ...catalogAclSettings(config), keyPrefix: `${config.namespace}catalog-cache:`, registry, logger });
  const outbox = new OutboxWriter(tableName);
  const deps: OrdersDependencies = {
    orders: new DynamoOrderRepository(dynamo.doc, tableName, outbox),
    catalog: acl,
    clock: options.clock ?? systemClock,
    newId: randomUUID,
  };
  return {
    deps,
    acl,
    outbox,
    registry,
    tableName,
    graphqlSpec: {
      name: 'orders',
      tableName,
      registry,
      typeDefs,
      resolvers: ordersResolvers,
      context: (base) => {
        // The catalog is request-scoped: one DataLoader per request batches its product lookups.
        const requestDeps: OrdersDependencies = { ...deps, catalog: requestScopedCatalog(acl) };
        return { ...base, deps: requestDeps, loaders: { order: createOrderLoader(requestDeps, base.caller) } };
      },
    },
  };
}

export interface Orders extends OrdersModule {
  readonly graphql: ApolloServer<OrdersContext>;
  readonly app: Express;
  close(): Promise<void>;
}

/** The Orders HTTP service: GraphQL executor started, app built, not listening yet. */
export async function createOrders(runtime: ServiceRuntime, options: OrdersOptions = {}): Promise<Orders> {
  const module = ordersModule(runtime, options);
  const { graphql, app } = await createSubgraphService(runtime, module.graphqlSpec);
  return {
    ...module,
    graphql,
    app,
    async close() {
      await graphql.stop();
      await module.acl.close();
    },
  };
}

export type RunningOrders = Orders & Listening;

/** Starts Orders' HTTP server (GraphQL on /graphql) on `port` (0: any free port). */
export async function startOrders(runtime: ServiceRuntime, port: number, options: OrdersOptions = {}): Promise<RunningOrders> {
  const orders = await createOrders(runtime, options);
  return { ...orders, ...(await listenService(orders, runtime, port)) };
}
