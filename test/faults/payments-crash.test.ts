import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { waitFor } from '../../lib/events/testing/wait-for';
import { freePort } from '../../lib/process';
import { createRedisClient } from '../../lib/redis';
import { control } from '../../dev/stripe-emulator/testing';
import { confirmAtStripe, expectCheckoutConsistent, startedPayment, waitForCheckout } from '../support/checkout';
import { pendingOutbox, streamEnvelopes } from '../support/commerce';
import { createProducts, placedOrder } from '../support/orders';
import { startContextProcess, type ContextProcess } from '../support/processes';
import { testRedisUrl } from '../support/services';
import { FAULT_TEST_RELAY } from '../support/fault-process';
import { startTestSystem, TEST_STRIPE_WEBHOOK_SECRET, tokenFor, type TestSystem } from '../support/system';

/**
 * Fault: the Payments process is killed (SIGKILL) in the middle of a checkout. Stripe's webhooks go to a Payments
 * process of its own on a fixed port; the rest of the system (the gateway, Orders consuming on Redis Streams, the
 * Payments GraphQL that starts payments) runs in this process.
 * - killed between the webhook's receipt and the publication of its event (the authorization committed with its
 *   event in the outbox, not yet relayed): the next process's relay publishes it, and the order is confirmed once;
 * - down while Stripe delivers: Stripe retries until a process answers, and the order is confirmed once.
 */

let system: TestSystem;
let redis: Redis;
let port: number;
let productId: string;
const children: ChildProcess[] = [];
const STOCK = 100;

beforeAll(async () => {
  system = await startTestSystem('fault-payments', {
    env: { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() },
    // This process's Payments starts payments (GraphQL) and nothing else: no webhooks, no consumers, no relay.
    stripeWebhooks: false,
    nodes: { payments: { consumers: false, relay: { publishAfterCommit: false, sweepIntervalMs: 3_600_000 } } },
    relay: FAULT_TEST_RELAY,
  });
  redis = createRedisClient(testRedisUrl());
  port = await freePort();
  system.stripe!.emulator.addWebhookEndpoint(`http://127.0.0.1:${port}/webhooks/stripe`, TEST_STRIPE_WEBHOOK_SECRET);
  const admin = await tokenFor('admin-1', { admin: true });
  productId = (await createProducts(system, admin, [{ n: 1, stockQuantity: STOCK }]))[0].id;
}, 90_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await system?.stop();
  await redis?.quit();
});

/** The Payments process Stripe's webhooks reach (its relay as given: publishing after commit, or not at all). */
function startPaymentsProcess(relay: { afterCommit: boolean }): Promise<ContextProcess> {
  return startContextProcess(
    system,
    'payments',
    {
      PAYMENTS_PORT: String(port),
      ORDERS_URL: `${system.urls.orders}/graphql`,
      STRIPE_API_URL: system.stripe!.emulator.url,
      STRIPE_WEBHOOK_SECRET: TEST_STRIPE_WEBHOOK_SECRET,
      ...(relay.afterCommit ? {} : { RELAY_PUBLISH_AFTER_COMMIT: 'false', RELAY_SWEEP_INTERVAL_MS: '3600000' }),
    },
    children,
  );
}

const authorizedEventsOf = async (orderId: string) => (await streamEnvelopes(redis, system, 'payment.authorized')).filter((event) => event.data.orderId === orderId);
const confirmedEventsOf = async (orderId: string) => (await streamEnvelopes(redis, system, 'order.confirmed')).filter((event) => event.data.orderId === orderId);

describe('the Payments process killed during a checkout', () => {
  it('between the webhook and the publication of its event: the next process publishes it, the order is confirmed once', async () => {
    const token = await tokenFor('fault-payments-1');
    const order = await placedOrder(system, token, [{ productId, quantity: 2 }]);
    const payment = await startedPayment(system, token, order.id);
    const crashing = await startPaymentsProcess({ afterCommit: false });

    expect(await confirmAtStripe(system, payment, 'pm_card_visa')).toMatchObject({ status: 'requires_capture' });
    await waitFor('the authorization committed with its event', async () => (await system.payments.deps.payments.findByOrderId(order.id))?.status === 'AUTHORIZED');
    await crashing.kill();

    // Committed and never published: the event waits in the outbox, Orders knows nothing.
    const stranded = (await pendingOutbox(system, 'payments')).filter((event) => event.type === 'payment.authorized' && (event.data as { orderId: string }).orderId === order.id);
    expect(stranded).toHaveLength(1);
    expect(await authorizedEventsOf(order.id)).toEqual([]);
    expect((await system.orders.deps.orders.findById(order.id))!.status).toBe('PENDING');

    const next = await startPaymentsProcess({ afterCommit: true });
    await waitForCheckout(system, token, order.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED after the restart', 60_000);
    await waitFor('the outbox drained', async () => (await pendingOutbox(system, 'payments')).length === 0, 30_000, 100);
    expect((await authorizedEventsOf(order.id)).map((event) => event.id)).toEqual([stranded[0]!.id]);
    expect(await confirmedEventsOf(order.id)).toHaveLength(1);
    await expectCheckoutConsistent(system, [order.id]);
    await next.kill();
  }, 180_000);

  it('while Stripe delivers: Stripe retries until a process answers, and the order is confirmed once', async () => {
    const token = await tokenFor('fault-payments-2');
    const order = await placedOrder(system, token, [{ productId, quantity: 1 }]);
    const payment = await startedPayment(system, token, order.id);

    expect(await confirmAtStripe(system, payment, 'pm_card_visa')).toMatchObject({ status: 'requires_capture' });
    // Nobody listens on Payments' port: the deliveries fail and are retried.
    await waitFor('a delivery to have failed', async () => {
      const { body } = await control<{ deliveries: { eventType: string; endpoint: string; attempts: { error: string | null }[] }[] }>(system.stripe!.emulator, 'GET', 'deliveries');
      return body.deliveries.some((d) => d.endpoint.includes(`:${port}/`) && d.eventType === 'payment_intent.amount_capturable_updated' && d.attempts.some((a) => a.error !== null));
    });
    expect((await system.orders.deps.orders.findById(order.id))!.status).toBe('PENDING');

    const back = await startPaymentsProcess({ afterCommit: true });
    await waitForCheckout(system, token, order.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED once Payments is back', 60_000);
    await waitFor('payment.authorized published', async () => (await authorizedEventsOf(order.id)).length === 1);
    expect(await confirmedEventsOf(order.id)).toHaveLength(1);
    await expectCheckoutConsistent(system, [order.id]);
    const product = (await system.catalog.deps.products.findById(productId))!;
    expect(product.stockQuantity + product.reservedQuantity).toBe(STOCK);
    await back.kill();
  }, 180_000);
});
