import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import { createSubgraphService, listenService, type Listening, type ServiceRuntime } from '../../lib/runtime';
import type { PaymentsContext } from './graphql/payments-context';
import { paymentsModule, type PaymentsModule, type PaymentsOptions } from './composition';

export { paymentsModule, type PaymentsModule, type PaymentsOptions } from './composition';

export interface Payments extends PaymentsModule {
  readonly graphql: ApolloServer<PaymentsContext>;
  readonly app: Express;
}

/** The Payments HTTP service: GraphQL executor started, app built, not listening yet. */
export async function createPayments(runtime: ServiceRuntime, options: PaymentsOptions = {}): Promise<Payments> {
  const module = paymentsModule(runtime, options);
  const { graphql, app } = await createSubgraphService(runtime, module.graphqlSpec);
  return {
    ...module,
    graphql,
    app,
    async close() {
      await graphql.stop();
      await module.close();
    },
  };
}

export type RunningPayments = Payments & Listening;

/** Starts Payments' HTTP server (GraphQL on /graphql, the Stripe webhook, the internal API) on `port` (0: any free port). */
export async function startPayments(runtime: ServiceRuntime, port: number, options: PaymentsOptions = {}): Promise<RunningPayments> {
  const payments = await createPayments(runtime, options);
  return { ...payments, ...(await listenService(payments, runtime, port)) };
}
