import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mapLimit } from '../../lib/async';
import { confirmAtStripe, startedPayment, waitForCheckout } from '../support/checkout';
import { createProducts, onlyError, placeOrderAs, placedOrder } from '../support/orders';
import { startTestSystem, tokenFor, type TestSystem } from '../support/system';

/**
 * The per-customer caps at their defaults (5 unpaid orders, 100 held units), through the gateway with the real
 * services: exact under concurrency, refused before any stock is held, freed by payment.
 */

let system: TestSystem;
let productId: string;
const STOCK = 1_000;

beforeAll(async () => {
  system = await startTestSystem('checkout-caps', { env: { MAX_PENDING_ORDERS_PER_CUSTOMER: '5', MAX_HELD_UNITS_PER_CUSTOMER: '100' } });
  const admin = await tokenFor('admin-1', { admin: true });
  const [product] = await createProducts(system, admin, [{ n: 1, price: { amount: 1_000, currency: 'USD' }, stockQuantity: STOCK }]);
  productId = product.id;
}, 90_000);
afterAll(() => system?.stop());

const held = async () => (await system.catalog.deps.products.findById(productId))!;

describe('the per-customer caps', () => {
  it('let exactly 5 of 20 concurrent placements through the gateway; the rest are LIMIT_EXCEEDED naming the cap and the value', async () => {
    const token = await tokenFor('caps-e2e');
    const before = await held();
    const responses = await mapLimit(Array.from({ length: 20 }, (_, i) => i), 20, () => placeOrderAs(system, token, [{ productId, quantity: 1 }]));
    const placed = responses.filter((response) => response.errors === undefined);
    const refused = responses.filter((response) => response.errors !== undefined).map(onlyError);
    const capped = {
      code: 'LIMIT_EXCEEDED',
      message: 'you have 5 unpaid orders, and a customer may have at most 5 (MAX_PENDING_ORDERS_PER_CUSTOMER): pay for or cancel one first',
      details: { limit: 'MAX_PENDING_ORDERS_PER_CUSTOMER', max: 5, value: 6 },
    };
    // On a busy machine a few placements may still be contending for the customer's ledger row after the retries:
    // those are refused as CONFLICT with nothing written, and a client tries them again.
    const contended = { code: 'CONFLICT', message: 'too many of your orders are being placed at once; try again', details: { limit: 'concurrent placements' } };
    for (const error of refused) expect([capped, contended]).toContainEqual(error);
    expect(placed.length).toBeLessThanOrEqual(5);
    // Tried again one by one, exactly 5 in all get through, and the next is capped.
    while (placed.length < 5) {
      const again = await placeOrderAs(system, token, [{ productId, quantity: 1 }]);
      expect(again.errors).toBeUndefined();
      placed.push(again);
    }
    expect(onlyError(await placeOrderAs(system, token, [{ productId, quantity: 1 }]))).toEqual(capped);
    // Nothing was held for a refused placement.
    expect((await held()).reservedQuantity - before.reservedQuantity).toBe(5);

    // Paying for one frees its place in the caps.
    const [first] = placed;
    await confirmAtStripe(system, await startedPayment(system, token, first!.data!.placeOrder.id), 'pm_card_visa');
    await waitForCheckout(system, token, first!.data!.placeOrder.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED');
    expect((await placeOrderAs(system, token, [{ productId, quantity: 1 }])).errors).toBeUndefined();
    expect(onlyError(await placeOrderAs(system, token, [{ productId, quantity: 1 }])).code).toBe('LIMIT_EXCEEDED');
  });

  it('refuses more than 100 held units over a customer’s unpaid orders', async () => {
    const token = await tokenFor('caps-units-e2e');
    await placedOrder(system, token, [{ productId, quantity: 60 }]);
    expect(onlyError(await placeOrderAs(system, token, [{ productId, quantity: 41 }]))).toEqual({
      code: 'LIMIT_EXCEEDED',
      message:
        'this order would bring the units held by your unpaid orders to 101, and a customer may hold at most 100 (MAX_HELD_UNITS_PER_CUSTOMER): pay for or cancel an order, or order fewer units',
      details: { limit: 'MAX_HELD_UNITS_PER_CUSTOMER', max: 100, value: 101 },
    });
    expect((await placeOrderAs(system, token, [{ productId, quantity: 40 }])).errors).toBeUndefined();
  });

  it('does not cap admins', async () => {
    const admin = await tokenFor('caps-admin', { admin: true });
    for (let i = 0; i < 6; i += 1) expect((await placeOrderAs(system, admin, [{ productId, quantity: 30 }])).errors).toBeUndefined();
  });
});
