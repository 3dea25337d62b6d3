import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../../lib/events/testing/wait-for';
import { checkoutOrder, confirmAtStripe, emulatorStripe, expectCheckoutConsistent, startedPayment, waitForCheckout } from '../support/checkout';
import { createProducts, placedOrder } from '../support/orders';
import { startTestSystem, tokenFor, type TestSystem } from '../support/system';

/**
 * The payment deadline with a short timeout (PAYMENT_TIMEOUT_SECONDS=3, swept every 200 ms), through the gateway with
 * the real services and the Stripe emulator.
 */

const TIMEOUT_SECONDS = 3;
let system: TestSystem;
let productId: string;
const STOCK = 1_000;

beforeAll(async () => {
  system = await startTestSystem('checkout-deadline', {
    env: { PAYMENT_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS), PAYMENT_DEADLINE_SWEEP_INTERVAL_MS: '200' },
  });
  const admin = await tokenFor('admin-1', { admin: true });
  const [product] = await createProducts(system, admin, [{ n: 1, price: { amount: 1_000, currency: 'USD' }, stockQuantity: STOCK }]);
  productId = product.id;
}, 90_000);
afterAll(() => system?.stop());

const held = async () => (await system.catalog.deps.products.findById(productId))!;

describe('the payment deadline', () => {
  it('cancels unpaid orders when it passes: the reason says so, the stock goes back and the open payment is voided at Stripe', async () => {
    const token = await tokenFor('deadline-customer');
    const before = await held();
    const withPayment = await placedOrder(system, token, [{ productId, quantity: 4 }]);
    const payment = await startedPayment(system, token, withPayment.id);
    const declined = await placedOrder(system, token, [{ productId, quantity: 1 }]);
    const declinedPayment = await startedPayment(system, token, declined.id);
    await confirmAtStripe(system, declinedPayment, 'pm_card_chargeDeclined');
    const untouched = await placedOrder(system, token, [{ productId, quantity: 2 }]);
    const paid = await placedOrder(system, token, [{ productId, quantity: 3 }]);
    await confirmAtStripe(system, await startedPayment(system, token, paid.id), 'pm_card_visa');
    await waitForCheckout(system, token, paid.id, (o) => o.status === 'CONFIRMED', 'paid in time');

    for (const order of [withPayment, declined, untouched]) {
      const cancelled = await waitForCheckout(system, token, order.id, (o) => o.status === 'CANCELLED', 'cancelled at its deadline', 30_000);
      const stored = (await system.orders.deps.orders.findById(order.id))!;
      expect(stored.cancellationReason).toBe(`payment was not received by ${stored.paymentDueAt!.toISOString()}, the order's payment deadline; its stock was released`);
      expect(stored.updatedAt.getTime()).toBeGreaterThanOrEqual(stored.paymentDueAt!.getTime());
      expect(cancelled.paymentDueAt).toBeNull();
    }
    for (const [order, intent] of [
      [withPayment, payment.providerPaymentId],
      [declined, declinedPayment.providerPaymentId],
    ] as const) {
      await waitForCheckout(system, token, order.id, (o) => o.payment?.status === 'VOIDED', 'payment VOIDED');
      expect((await emulatorStripe(system).paymentIntents.retrieve(intent)).status).toBe('canceled');
    }
    expect((await checkoutOrder(system, token, untouched.id)).payment).toBeNull();
    expect((await checkoutOrder(system, token, paid.id)).status).toBe('CONFIRMED');
    // The paid order's 3 units stay held; the others' 7 came back.
    await waitFor('the stock released', async () => (await held()).reservedQuantity === before.reservedQuantity + 3);
    expect((await held()).stockQuantity + (await held()).reservedQuantity).toBe(STOCK);
    await expectCheckoutConsistent(system, [withPayment.id, declined.id, untouched.id, paid.id]);
  }, 60_000);
});
