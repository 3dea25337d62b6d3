/**
 * Payments on AWS Lambda, built once per container from the same composition root as the HTTP service:
 * - `handler`: the IAM-authenticated function URL (payload v2): GraphQL on /graphql (the gateway), the internal API
 *   on /internal (Orders: SigV4 + signed service identity);
 * - `webhookHandler`: the public function URL Stripe delivers webhooks to; only POST /webhooks/stripe, verified with
 *   STRIPE_WEBHOOK_SECRET before anything is read;
 * - `eventHandler`: the EventBridge rules' target for order.cancelled (void or refund the order's payment) and
 *   order.confirmed (release a card payment the confirmation did not come from);
 * - `outboxRelayHandler`: the outbox relay: the table's DynamoDB Stream -> EventBridge, and the scheduled sweep. It
 *   builds no Payments module: the relay needs its table and the bus, not Stripe's keys (its role cannot read them).
 */
import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from 'aws-lambda';
import { serveInternalApiFromLambda } from '../../lib/internal-api/lambda';
import { lambdaContainer, subgraphLambdaHandler } from '../../lib/runtime/lambda';
import { handleEventBridgeDelivery, lambdaEventBus, relayOutbox, type OutboxRelayInvocation } from '../../lib/runtime/lambda-events';
import { paymentsEventConsumers } from './infrastructure/event-consumers';
import { serveStripeWebhookFromLambda } from './infrastructure/stripe/webhook-routes';
import { paymentsModule } from './composition';

const container = lambdaContainer('payments', (runtime) => {
  const payments = paymentsModule(runtime);
  return {
    runtime,
    payments,
    graphql: subgraphLambdaHandler(runtime, payments.graphqlSpec),
    consumers: paymentsEventConsumers(payments.deps, runtime.logger),
    bus: lambdaEventBus(runtime.config, runtime.logger),
  };
});

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  const { payments, graphql } = await container();
  if (event.rawPath.startsWith('/internal/')) return serveInternalApiFromLambda(payments.internal, event);
  return graphql(event, context);
}

export async function webhookHandler(event: APIGatewayProxyEventV2) {
  const { payments } = await container();
  return serveStripeWebhookFromLambda(payments.webhook, event);
}

export async function eventHandler(event: EventBridgeEvent<string, unknown>) {
  const { consumers, runtime } = await container();
  return handleEventBridgeDelivery(event, consumers, runtime.logger, runtime.config.eventSigningSecret);
}

const relayContainer = lambdaContainer('payments', (runtime) => ({ runtime, bus: lambdaEventBus(runtime.config, runtime.logger) }));

export async function outboxRelayHandler(event: OutboxRelayInvocation) {
  const { runtime, bus } = await relayContainer();
  return relayOutbox(event, runtime, bus, runtime.config.dynamodb.tables.payments);
}
