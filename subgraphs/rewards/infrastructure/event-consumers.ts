import type { EventConsumer } from '../../../lib/events';
import type { Logger } from '../../../lib/logging';
import { issueRewardForCompletedOrder } from '../application/issue-order-reward';
import type { RewardsDependencies } from '../application/rewards-dependencies';

export const REWARDS_CONSUMER_GROUP = 'rewards';

/**
 * Rewards listens to `order.completed` only: cancelled orders never complete, so they never earn points. The
 * same consumer serves the local buses and the Lambda target of the EventBridge rule.
 */
export function rewardsEventConsumers(deps: RewardsDependencies, logger: Logger): EventConsumer[] {
  return [
    {
      group: REWARDS_CONSUMER_GROUP,
      types: ['order.completed'],
      // Each issuance is a read and a DynamoDB transaction; one at a time, a backlog (a bus outage, a relay's
      // leftovers) drains at that latency per order. Issuances of one customer change one account row, so they stay
      // in order, one after another.
      concurrency: { limit: 8, key: (envelope) => (envelope.type === 'order.completed' ? envelope.data.customerId : envelope.id) },
      async handle(envelope) {
        if (envelope.type !== 'order.completed') return;
        const { orderId, customerId, total } = envelope.data;
        const outcome = await issueRewardForCompletedOrder(
          deps,
          { orderId, customerId, total },
          { consumer: REWARDS_CONSUMER_GROUP, eventId: envelope.id },
        );
        logger.info({ orderId, customerId, eventId: envelope.id, outcome }, 'order.completed handled');
      },
    },
  ];
}
