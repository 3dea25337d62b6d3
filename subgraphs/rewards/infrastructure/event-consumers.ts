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
