import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import { createSubgraphService, listenService, type Listening, type ServiceRuntime } from '../../lib/runtime';
import type { OrdersContext } from './graphql/orders-context';
import { ordersModule, type OrdersModule, type OrdersOptions } from './composition';

export { ordersModule, type OrdersModule, type OrdersOptions } from './composition';

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
      await module.stock.close();
      await module.fulfilment.payments.close();
      await module.fulfilment.shipments.close();
    },
  };
}

export type RunningOrders = Orders & Listening;

/** Starts Orders' HTTP server (GraphQL on /graphql) on `port` (0: any free port). */
export async function startOrders(runtime: ServiceRuntime, port: number, options: OrdersOptions = {}): Promise<RunningOrders> {
  const orders = await createOrders(runtime, options);
  return { ...orders, ...(await listenService(orders, runtime, port)) };
}
