import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../lib/ddd';
import { instrumentDynamo } from '../../lib/dynamodb';
import { OutboxWriter } from '../../lib/events';
import { createMetricsRegistry } from '../../lib/metrics';
import type { ServiceRuntime } from '../../lib/runtime/service-runtime';
import type { SubgraphServiceSpec } from '../../lib/runtime/subgraph-spec';
import type { RewardsDependencies } from './application/rewards-dependencies';
import { subgraphSchema } from './graphql/__generated__/subgraph-schema';
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
      schema: subgraphSchema,
      resolvers: rewardsResolvers,
      context: (base) => ({ ...base, deps, loaders: createRewardsLoaders(deps, base.caller) }),
    },
  };
}
