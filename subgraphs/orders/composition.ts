import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../lib/ddd';
import { instrumentDynamo } from '../../lib/dynamodb';
import { OutboxWriter } from '../../lib/events';
import { internalClientSettings } from '../../lib/internal-api/client';
import { mountInternalApi } from '../../lib/internal-api/express';
import { createInternalRouter, type InternalApi } from '../../lib/internal-api/router';
import { createMetricsRegistry } from '../../lib/metrics';
import type { ServiceRuntime } from '../../lib/runtime/service-runtime';
import type { SubgraphServiceSpec } from '../../lib/runtime/subgraph-spec';
import type { OrdersDependencies } from './application/orders-dependencies';
import type { ProductCacheInvalidator, ProductCatalog } from './application/product-catalog';
import { subgraphSchema } from './graphql/__generated__/subgraph-schema';
import { createOrderLoader, requestScopedCatalog, type OrdersContext } from './graphql/orders-context';
import { ordersResolvers } from './graphql/resolvers';
import { catalogAclSettings, createCatalogAcl } from './infrastructure/catalog-acl';
import { CatalogStockClient } from './infrastructure/catalog-stock/catalog-stock-client';
import { DynamoCustomerLimitsLedger } from './infrastructure/dynamo-customer-limits';
import { DynamoOrderRepository } from './infrastructure/dynamo-order-repository';
import { PaymentsCaptureClient } from './infrastructure/fulfilment/payments-capture-client';
import { ShippingCommandsClient } from './infrastructure/fulfilment/shipping-commands-client';
import { ordersInternalRoutes } from './internal/orders-internal-api';

export type CatalogAcl = ProductCatalog & ProductCacheInvalidator & { close(): Promise<void> };

export interface OrdersOptions {
  readonly clock?: Clock;
  /**
   * Payments' base URL when it is known only after Orders is built (every context in one process on port 0, where
   * Payments needs Orders' address first); config.urls.payments otherwise.
   */
  readonly paymentsUrl?: () => string;
}

/** Orders' objects without any server: what the HTTP service, the Lambda handlers and the consumers share. */
export interface OrdersModule {
  /** Dependencies with the shared ACL as catalog (event handlers use it directly; requests get a batching view). */
  readonly deps: OrdersDependencies;
  readonly acl: CatalogAcl;
  /** Catalog's stock-holds commands (no cache: a hold is never answered from one). */
  readonly stock: CatalogStockClient;
  /** Payments' capture and Shipping's ship and deliver commands (the fulfilment half of the checkout saga). */
  readonly fulfilment: { readonly payments: PaymentsCaptureClient; readonly shipments: ShippingCommandsClient };
  readonly outbox: OutboxWriter;
  /** The internal API other contexts read orders through (signed service identities only). */
  readonly internal: InternalApi;
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
  const stock = new CatalogStockClient({
    baseUrl: config.urls.catalogRest,
    signingSecret: config.gatewaySigningSecret,
    // A hold is a conditional transaction that may be retried under contention: its own budget, above a read's.
    timeoutMs: config.stockHolds.timeoutMs,
    breakerThreshold: config.catalogAcl.breakerThreshold,
    breakerHalfOpenAfterMs: config.catalogAcl.breakerHalfOpenAfterMs,
    sign: catalogAclSettings(config).sign,
    registry,
    logger,
  });
  const outbox = new OutboxWriter(tableName);
  const fulfilment = {
    payments: new PaymentsCaptureClient({ ...internalClientSettings(config, options.paymentsUrl ?? config.urls.payments), registry, logger }),
    shipments: new ShippingCommandsClient({ ...internalClientSettings(config, config.urls.shipping), registry, logger }),
  };
  const deps: OrdersDependencies = {
    orders: new DynamoOrderRepository(dynamo.doc, tableName, outbox),
    catalog: acl,
    stock,
    clock: options.clock ?? systemClock,
    newId: randomUUID,
    idempotencyKeyTtlSeconds: config.idempotencyKeyTtlSeconds,
    paymentTimeoutSeconds: config.payments.timeoutSeconds,
    limits: {
      ledger: new DynamoCustomerLimitsLedger(dynamo.doc, tableName),
      maxPendingOrders: config.customerLimits.maxPendingOrders,
      maxHeldUnits: config.customerLimits.maxHeldUnits,
      // A placement's writes are abandoned at its request deadline; a minute on top covers clocks between processes.
      abandonedAfterMs: config.timeouts.requestMs + 60_000,
    },
    ...fulfilment,
  };
  const internal = createInternalRouter({
    service: 'orders',
    signingSecret: config.gatewaySigningSecret,
    windowSeconds: config.signedRequestWindowSeconds,
    routes: ordersInternalRoutes(deps),
    logger,
  });
  return {
    deps,
    acl,
    stock,
    fulfilment,
    outbox,
    internal,
    registry,
    tableName,
    graphqlSpec: {
      name: 'orders',
      tableName,
      registry,
      schema: subgraphSchema,
      resolvers: ordersResolvers,
      routes: (app) => mountInternalApi(app, internal),
      context: (base) => {
        // The catalog is request-scoped: one DataLoader per request batches its product lookups.
        const requestDeps: OrdersDependencies = { ...deps, catalog: requestScopedCatalog(acl) };
        return { ...base, deps: requestDeps, loaders: { order: createOrderLoader(requestDeps, base.caller) } };
      },
    },
  };
}
