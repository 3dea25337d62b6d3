import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../lib/ddd';
import { instrumentDynamo } from '../../lib/dynamodb';
import { OutboxWriter } from '../../lib/events';
import { createMetricsRegistry } from '../../lib/metrics';
import { createSubgraphService, listenService, type Listening, type ServiceRuntime, type SubgraphServiceSpec } from '../../lib/runtime';
import type { RewardsDependencies } from './application/rewards-dependencies';
import { typeDefs } from './graphql/__generated__/type-defs';
import { createRewardsLoaders, type RewardsContext } from './graphql/rewards-context';
import { rewardsResolvers } from './graphql/resolvers';
import { DynamoRewardRepository } from './infrastructure/dynamo-reward-repository';

export interface RewardsOptions {
  readonly clock?: Clock;
}

/** Rewards' objects without any server: what the HTTP service, the Lambda handlers and the expiry job share. */
export interface RewardsModule {
  readonly deps: RewardsDependencies;
  readonly outbox: OutboxWriter;
  readonly registry: Registry;
  readonly tableName: string;
  readonly graphqlSpec: SubgraphServiceSpec<RewardsContext>;
}

/** Composition root of the Rewards context: the points ledger and its use cases, built from configuration. */
export function rewardsModule(runtime: ServiceRuntime, options: RewardsOptions = {}): RewardsModule {
  const tableName = runtime.config.dynamodb.tables.rewards;
  const registry = createMetricsRegistry('rewards');
  instrumentDynamo(runtime.dynamo.client, registry);
  const outbox = new OutboxWriter(tableName);
  const deps: RewardsDependencies = {
    rewards: new DynamoRewardRepository(runtime.dynamo.doc, tableName, outbox),
    clock: options.clock ?? systemClock,
    newId: randomUUID,
  };
  return {
    deps,
    outbox,
    registry,
    tableName,
    graphqlSpec: {
      name: 'rewards',
      tableName,
      registry,
      typeDefs,
      resolvers: rewardsResolvers,
      context: (base) => ({ ...base, deps, loaders: createRewardsLoaders(deps, base.caller) }),
    },
  };
}

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
