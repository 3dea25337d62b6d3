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
import type { CarrierDirectory } from './application/carriers';
import type { ShippingDependencies } from './application/shipping-dependencies';
import { subgraphSchema } from './graphql/__generated__/subgraph-schema';
import { shippingResolvers } from './graphql/resolvers';
import { createShippingLoaders, type ShippingContext } from './graphql/shipping-context';
import { DynamoShipmentRepository } from './infrastructure/dynamo-shipment-repository';
import { knownCarriers } from './infrastructure/known-carriers';
import { shipmentCommandRoutes, type InternalRoute } from './internal/shipment-commands-api';

export interface ShippingOptions {
  readonly clock?: Clock;
  readonly carriers?: CarrierDirectory;
}

/** Shipping's objects without any server: what the HTTP service and the Lambda handlers share. */
export interface ShippingModule {
  readonly deps: ShippingDependencies;
  readonly outbox: OutboxWriter;
  readonly registry: Registry;
  readonly tableName: string;
  /** The internal commands Orders sends (ship, deliver), framework-neutral. */
  readonly commands: readonly InternalRoute[];
  /** The same commands behind the internal API's router (signed service identities only), as the servers serve them. */
  readonly internal: InternalApi;
  readonly graphqlSpec: SubgraphServiceSpec<ShippingContext>;
}

/** Composition root of the Shipping context: shipments, carriers and their use cases, built from configuration. */
export function shippingModule(runtime: ServiceRuntime, options: ShippingOptions = {}): ShippingModule {
  const tableName = runtime.config.dynamodb.tables.shipping;
  const registry = createMetricsRegistry('shipping');
  instrumentDynamo(runtime.dynamo.client, registry);
  const outbox = new OutboxWriter(tableName);
  const deps: ShippingDependencies = {
    shipments: new DynamoShipmentRepository(runtime.dynamo.doc, tableName, outbox),
    carriers: options.carriers ?? knownCarriers,
    clock: options.clock ?? systemClock,
    newId: randomUUID,
  };
  const commands = shipmentCommandRoutes(deps);
  const internal = createInternalRouter({
    service: 'shipping',
    signingSecret: runtime.config.gatewaySigningSecret,
    windowSeconds: runtime.config.signedRequestWindowSeconds,
    routes: commands,
    logger: runtime.logger,
  });
  return {
    deps,
    outbox,
    registry,
    tableName,
    commands,
    internal,
    graphqlSpec: {
      name: 'shipping',
      tableName,
      registry,
      schema: subgraphSchema,
      resolvers: shippingResolvers,
      routes: (app) => mountInternalApi(app, internal),
      context: (base) => ({ ...base, deps, loaders: createShippingLoaders(deps, base.caller) }),
    },
  };
}
