/**
 * Rewards on AWS Lambda, built once per container from the same composition root as the HTTP service:
 * - `handler`: the function URL (payload v2), GraphQL;
 * - `eventHandler`: the EventBridge rule target for order.completed (issues points once per order);
 * - `expiryHandler`: the scheduled expiry of points older than 12 months;
 * - `outboxRelayHandler`: the outbox relay: the table's DynamoDB Stream -> EventBridge, and the scheduled sweep.
 */
import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from 'aws-lambda';
import { lambdaContainer, subgraphLambdaHandler } from '../../lib/runtime/lambda';
import { handleEventBridgeDelivery, lambdaEventBus, relayOutbox, type OutboxRelayInvocation } from '../../lib/runtime/lambda-events';
import { expirePoints } from './application/expire-points';
import { rewardsEventConsumers } from './infrastructure/event-consumers';
import { rewardsModule } from './composition';

const container = lambdaContainer('rewards', (runtime) => {
  const rewards = rewardsModule(runtime);
  return {
    runtime,
    rewards,
    graphql: subgraphLambdaHandler(runtime, rewards.graphqlSpec),
    consumers: rewardsEventConsumers(rewards.deps, runtime.logger),
    bus: lambdaEventBus(runtime.config, runtime.logger),
  };
});

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  const { graphql } = await container();
  return graphql(event, context);
}

export async function eventHandler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger, runtime.config.eventSigningSecret);
}

export async function expiryHandler() {
  const { rewards, runtime } = await container();
  const report = await expirePoints(rewards.deps);
  runtime.logger.info(report, 'reward points expiry finished');
  return report;
}

export async function outboxRelayHandler(event: OutboxRelayInvocation) {
  const { runtime, rewards, bus } = await container();
  return relayOutbox(event, runtime, bus, rewards.tableName);
}
