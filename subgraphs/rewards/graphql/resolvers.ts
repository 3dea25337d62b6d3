import { DateTimeScalar, toConnection } from '../../../lib/graphql';
import { getRewardAccount, listRewardTransactions } from '../application/read-rewards';
import { redeemPoints } from '../application/redeem-points';
import type { Resolvers } from './__generated__/resolvers-types';

/** Rewards' part of the graph: Customer.rewards, Order.rewardPoints and redeemPoints. */
export const rewardsResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Mutation: {
    redeemPoints: (_, { points }, ctx) => redeemPoints(ctx.deps, ctx.caller, points),
  },
  Customer: {
    __resolveReference: (reference) => ({ id: reference.id }),
    rewards: (customer, _, ctx) => getRewardAccount(ctx.deps, ctx.caller, customer.id),
  },
  Order: {
    __resolveReference: (reference) => ({ id: reference.id }),
    rewardPoints: (order, _, ctx) => ctx.loaders.rewardPoints.load(order.id),
  },
  RewardAccount: {
    transactions: async (account, args, ctx) => toConnection(await listRewardTransactions(ctx.deps, ctx.caller, account.customerId, args)),
  },
  RewardTransaction: {
    order: (transaction) => (transaction.orderId ? { id: transaction.orderId } : null),
  },
};
