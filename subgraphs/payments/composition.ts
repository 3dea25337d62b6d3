import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { requireStripeSecrets } from '../../lib/config';
import { systemClock, type Clock } from '../../lib/ddd';
import { instrumentDynamo } from '../../lib/dynamodb';
import { OutboxWriter } from '../../lib/events';
import { internalClientSettings } from '../../lib/internal-api/client';
import { mountInternalApi } from '../../lib/internal-api/express';
import { createInternalRouter, type InternalApi } from '../../lib/internal-api/router';
import { createMetricsRegistry } from '../../lib/metrics';
import type { ServiceRuntime } from '../../lib/runtime/service-runtime';
import type { SubgraphServiceSpec } from '../../lib/runtime/subgraph-spec';
import type { PaymentsDependencies } from './application/payments-dependencies';
import { subgraphSchema } from './graphql/__generated__/subgraph-schema';
import { createPaymentsLoaders, type PaymentsContext } from './graphql/payments-context';
import { paymentsResolvers } from './graphql/resolvers';
import { DynamoPaymentRepository } from './infrastructure/dynamo-payment-repository';
import { OrdersDirectoryClient } from './infrastructure/orders/orders-directory-client';
import { createStripeClient, StripePaymentProvider } from './infrastructure/stripe/stripe-provider';
import { stripeWebhookHandler, type StripeWebhookHandler } from './infrastructure/stripe/stripe-webhooks';
import { mountStripeWebhook } from './infrastructure/stripe/webhook-routes';
import { paymentsInternalRoutes } from './internal/payments-internal-api';

export interface PaymentsOptions {
  readonly clock?: Clock;
}

/** Payments' objects without any server: what the HTTP service, the Lambda handlers and the consumers share. */
export interface PaymentsModule {
  readonly deps: PaymentsDependencies;
  readonly outbox: OutboxWriter;
  /** The internal API Orders captures payments through (signed service identities only). */
  readonly internal: InternalApi;
  /** POST /webhooks/stripe: verified with STRIPE_WEBHOOK_SECRET, then handled. */
  readonly webhook: StripeWebhookHandler;
  readonly registry: Registry;
  readonly tableName: string;
  readonly graphqlSpec: SubgraphServiceSpec<PaymentsContext>;
  /** Releases the Orders client's connections. */
  close(): Promise<void>;
}

/** A Stripe call's budget per attempt; the SDK retries twice, so a webhook is answered well within Stripe's wait. */
const STRIPE_TIMEOUT_MS = 5_000;

/**
 * Composition root of the Payments context: the payments table, the Stripe adapter (the official SDK, pointed at
 * STRIPE_API_URL when set), Orders' internal API and the use cases, built from configuration. Fails closed: without
 * a Stripe secret key and webhook secret outside development and test, it refuses to build (ConfigError).
 */
export function paymentsModule(runtime: ServiceRuntime, options: PaymentsOptions = {}): PaymentsModule {
  const { config, logger, dynamo } = runtime;
  const stripeSecrets = requireStripeSecrets(config.stripe, config.nodeEnv);
  const tableName = config.dynamodb.tables.payments;
  const registry = createMetricsRegistry('payments');
  instrumentDynamo(dynamo.client, registry);
  const outbox = new OutboxWriter(tableName);
  const stripe = createStripeClient({ secretKey: stripeSecrets.secretKey, apiUrl: config.stripe.apiUrl, timeoutMs: STRIPE_TIMEOUT_MS });
  const orders = new OrdersDirectoryClient({ ...internalClientSettings(config, config.urls.orders), registry, logger });
  const deps: PaymentsDependencies = {
    payments: new DynamoPaymentRepository(dynamo.doc, tableName, outbox),
    provider: new StripePaymentProvider(stripe, logger.child({ component: 'stripe' })),
    orders,
    clock: options.clock ?? systemClock,
    newId: randomUUID,
  };
  const internal = createInternalRouter({
    service: 'payments',
    signingSecret: config.gatewaySigningSecret,
    windowSeconds: config.signedRequestWindowSeconds,
    routes: paymentsInternalRoutes(deps),
    logger,
  });
  const webhook = stripeWebhookHandler({ stripe, webhookSecret: stripeSecrets.webhookSecret, deps, logger: logger.child({ component: 'stripe-webhooks' }) });
  return {
    deps,
    outbox,
    internal,
    webhook,
    registry,
    tableName,
    close: () => orders.close(),
    graphqlSpec: {
      name: 'payments',
      tableName,
      registry,
      schema: subgraphSchema,
      resolvers: paymentsResolvers,
      routes: (app) => {
        mountStripeWebhook(app, webhook);
        mountInternalApi(app, internal);
      },
      context: (base) => ({ ...base, deps, loaders: createPaymentsLoaders(deps, base.caller) }),
    },
  };
}
