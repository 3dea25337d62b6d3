import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import { createSubgraphService, listenService, type Listening, type ServiceRuntime } from '../../lib/runtime';
import type { ShippingContext } from './graphql/shipping-context';
import { shippingModule, type ShippingModule, type ShippingOptions } from './composition';

export { shippingModule, type ShippingModule, type ShippingOptions } from './composition';

export interface Shipping extends ShippingModule {
  readonly graphql: ApolloServer<ShippingContext>;
  readonly app: Express;
  close(): Promise<void>;
}

/** The Shipping HTTP service: GraphQL executor started, app built, not listening yet. */
export async function createShipping(runtime: ServiceRuntime, options: ShippingOptions = {}): Promise<Shipping> {
  const module = shippingModule(runtime, options);
  const { graphql, app } = await createSubgraphService(runtime, module.graphqlSpec);
  return { ...module, graphql, app, close: () => graphql.stop() };
}

export type RunningShipping = Shipping & Listening;

/** Starts Shipping's HTTP server (GraphQL on /graphql) on `port` (0: any free port). */
export async function startShipping(runtime: ServiceRuntime, port: number, options: ShippingOptions = {}): Promise<RunningShipping> {
  const shipping = await createShipping(runtime, options);
  return { ...shipping, ...(await listenService(shipping, runtime, port)) };
}
