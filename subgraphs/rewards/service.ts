import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import { createSubgraphService, listenService, type Listening, type ServiceRuntime } from '../../lib/runtime';
import type { RewardsContext } from './graphql/rewards-context';
import { rewardsModule, type RewardsModule, type RewardsOptions } from './composition';

export { rewardsModule, type RewardsModule, type RewardsOptions } from './composition';

export interface Rewards extends RewardsModule {
  readonly graphql: ApolloServer<RewardsContext>;
  readonly app: Express;
  close(): Promise<void>;
}

/** The Rewards HTTP service: GraphQL executor started, app built, not listening yet. */
export async function createRewards(runtime: ServiceRuntime, options: RewardsOptions = {}): Promise<Rewards> {
  const module = rewardsModule(runtime, options);
  const { graphql, app } = await createSubgraphService(runtime, module.graphqlSpec);
  return { ...module, graphql, app, close: () => graphql.stop() };
}

export type RunningRewards = Rewards & Listening;

/** Starts Rewards' HTTP server (GraphQL on /graphql) on `port` (0: any free port). */
export async function startRewards(runtime: ServiceRuntime, port: number, options: RewardsOptions = {}): Promise<RunningRewards> {
  const rewards = await createRewards(runtime, options);
  return { ...rewards, ...(await listenService(rewards, runtime, port)) };
}
