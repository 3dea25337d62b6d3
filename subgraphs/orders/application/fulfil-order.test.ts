import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, PaymentFailedError, ValidationError } from '../../../lib/ddd';
import { ADMIN, customer, openOrdersTable, rejectionOf, type OrdersTable } from '../test-support/orders-fixtures';
import { confirmOrder, confirmOrderOnAuthorization } from './change-order-status';
import { completeOrder, completeOrderOnDelivery, markOrderDelivered, shipOrder, shipOrderOnShipment } from './fulfil-order';
import { placeOrder } from './place-order';
import { setShippingAddress } from './set-shipping-address';

/**
 * The fulfilment use cases against the real repository, with Payments' and Shipping's commands as ports
 * (InMemoryFulfilment): the order of the calls, what stays unchanged when one fails, and the resume paths.
 */

let t: OrdersTable;
let productId: string;
const OWNER = customer('fulfil-owner');
const ADDRESS = { name: 'Jane Doe', line1: '742 Evergreen Terrace', city: 'Springfield', postalCode: '62704', country: 'US' };
const TRACKING = { carrier: 'ups', trackingNumber: '1Z999AA10123456784' };

beforeAll(async () => {
  t = await openOrdersTable('fulfil-order');
  productId = t.catalog.add({ name: 'Kettle', unitPrice: { amount: 3450, currency: 'USD' }, availableQuantity: 100 }).id;
});
afterAll(() => t?.drop());

/** A placed order confirmed by its card payment's authorization (`card`), or by an admin by hand (`hand`). */
async function confirmed(contact = true, by: 'card' | 'hand' = 'card') {
  const order = await placeOrder(t.deps, OWNER, { items: [{ productId, quantity: 1 }], ...(contact ? { shippingAddress: ADDRESS, email: 'jane@example.com' } : {}) });
  if (by === 'hand') await confirmOrder(t.deps, ADMIN, order.id);
  else expect(await confirmOrderOnAuthorization(t.deps, { orderId: order.id, amount: order.total.toJSON() }, { consumer: 'orders', eventId: `authorized-${order.id}` })).toBe('confirmed');
  return order.id;
}
const eventsOf = async (id: string) => (await t.outboxEventsOf(id)).map((event) => `${event.type}@${String(event.data['version'])}`);

describe('shipOrder', () => {
  it('checks with Shipping, captures, then ships, then saves SHIPPED with order.shipped carrying the tracking Shipping recorded', async () => {
    const id = await confirmed();
    const order = await shipOrder(t.deps, ADMIN, id, TRACKING);
    expect([order.status, order.versionAfterChanges]).toEqual(['SHIPPED', 3]);
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([`check ${id}`, `capture ${id}`, `ship ${id}`]);
    const shipped = (await t.outboxEventsOf(id)).find((event) => event.type === 'order.shipped')!;
    expect(shipped.data).toMatchObject({ status: 'SHIPPED', previousStatus: 'CONFIRMED', version: 3, carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
  });

  it('ships nothing and changes nothing when the capture fails', async () => {
    const id = await confirmed();
    t.fulfilment.payments.set(id, new PaymentFailedError('declined'));
    expect((await rejectionOf(shipOrder(t.deps, ADMIN, id, TRACKING))).code).toBe(ErrorCode.PAYMENT_FAILED);
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([`check ${id}`, `capture ${id}`]);
    expect((await t.repository.findById(id))!.status).toBe('CONFIRMED');
  });

  it('captures nothing when Shipping refuses the carrier or number', async () => {
    const id = await confirmed();
    t.fulfilment.fail = { command: 'check', error: new ValidationError('trackingNumber', 'not a UPS tracking number') };
    expect((await rejectionOf(shipOrder(t.deps, ADMIN, id, TRACKING))).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([`check ${id}`]);
    expect((await t.repository.findById(id))!.status).toBe('CONFIRMED');
  });

  it('asks for no capture of an order an admin confirmed by hand (paid otherwise): checks, ships, SHIPPED', async () => {
    const id = await confirmed(true, 'hand');
    expect((await t.repository.findById(id))!.paidOtherwise).toBe(true);
    expect((await shipOrder(t.deps, ADMIN, id, TRACKING)).status).toBe('SHIPPED');
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([`check ${id}`, `ship ${id}`]);
  });

  it('calls nobody for an order without an address or an email', async () => {
    const id = await confirmed(false);
    const error = await rejectionOf(shipOrder(t.deps, ADMIN, id, TRACKING));
    expect([error.code, error.details]).toEqual([ErrorCode.BAD_USER_INPUT, { field: 'shippingAddress', orderId: id, missing: ['shippingAddress', 'email'] }]);
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([]);
    await setShippingAddress(t.deps, OWNER, id, { address: ADDRESS, email: 'jane@example.com' });
    expect((await shipOrder(t.deps, ADMIN, id, TRACKING)).status).toBe('SHIPPED');
  });
});

describe('completeOrder', () => {
  it('captures a CONFIRMED order’s payment, then completes it', async () => {
    const id = await confirmed();
    expect((await completeOrder(t.deps, ADMIN, id)).status).toBe('COMPLETED');
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([`capture ${id}`]);
    expect(await eventsOf(id)).toEqual(['order.created@1', 'order.confirmed@2', 'order.completed@3']);
  });

  it('completes an order whose payment has nothing to capture (Payments answers NOT_FOUND)', async () => {
    const id = await confirmed();
    t.fulfilment.payments.set(id, 'nothing-to-capture');
    expect((await completeOrder(t.deps, ADMIN, id)).status).toBe('COMPLETED');
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([`capture ${id}`]);
  });

  it('completes an order confirmed by hand without asking for a capture', async () => {
    const id = await confirmed(true, 'hand');
    expect((await completeOrder(t.deps, ADMIN, id)).status).toBe('COMPLETED');
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([]);
  });

  it('leaves the order CONFIRMED when the capture is refused', async () => {
    const id = await confirmed();
    t.fulfilment.payments.set(id, new PaymentFailedError('expired'));
    expect((await rejectionOf(completeOrder(t.deps, ADMIN, id))).code).toBe(ErrorCode.PAYMENT_FAILED);
    expect(await eventsOf(id)).toEqual(['order.created@1', 'order.confirmed@2']);
  });

  it('captures nothing more for a SHIPPED order (captured when it shipped), nor for a PENDING one it refuses', async () => {
    const id = await confirmed();
    await shipOrder(t.deps, ADMIN, id, TRACKING);
    expect((await completeOrder(t.deps, ADMIN, id)).status).toBe('COMPLETED');
    expect(t.fulfilment.calls.filter((call) => call.endsWith(id))).toEqual([`check ${id}`, `capture ${id}`, `ship ${id}`]);
    const pending = (await placeOrder(t.deps, OWNER, { items: [{ productId, quantity: 1 }] })).id;
    expect((await rejectionOf(completeOrder(t.deps, ADMIN, pending))).code).toBe(ErrorCode.INVALID_ORDER_TRANSITION);
    expect(t.fulfilment.calls.filter((call) => call.endsWith(pending))).toEqual([]);
  });
});

describe('the resume paths', () => {
  const causedBy = (eventId: string) => ({ consumer: 'orders', eventId });

  it('shipment.shipped ships a CONFIRMED order once, however often it arrives', async () => {
    const id = await confirmed();
    expect(await shipOrderOnShipment(t.deps, { orderId: id, ...TRACKING }, causedBy(`${id}-s`))).toBe('shipped');
    expect(await shipOrderOnShipment(t.deps, { orderId: id, ...TRACKING }, causedBy(`${id}-s`))).toBe('ignored');
    expect(await shipOrderOnShipment(t.deps, { orderId: id, ...TRACKING }, causedBy(`${id}-s2`))).toBe('ignored');
    expect(await eventsOf(id)).toEqual(['order.created@1', 'order.confirmed@2', 'order.shipped@3']);
  });

  it('shipment.delivered before shipment.shipped ships and completes in one write, events in version order', async () => {
    const id = await confirmed();
    expect(await completeOrderOnDelivery(t.deps, { orderId: id, ...TRACKING }, causedBy(`${id}-d`))).toBe('completed');
    expect(await shipOrderOnShipment(t.deps, { orderId: id, ...TRACKING }, causedBy(`${id}-s`))).toBe('ignored');
    expect(await eventsOf(id)).toEqual(['order.created@1', 'order.confirmed@2', 'order.shipped@3', 'order.completed@4']);
    expect((await t.repository.findById(id))!.version).toBe(4);
  });

  it('markOrderDelivered answers a SHIPPED order completed, and finds one the consumer completed first as it is', async () => {
    const id = await confirmed();
    await shipOrder(t.deps, ADMIN, id, TRACKING);
    expect((await markOrderDelivered(t.deps, ADMIN, id)).status).toBe('COMPLETED');
    expect(await completeOrderOnDelivery(t.deps, { orderId: id, ...TRACKING }, causedBy(`${id}-d`))).toBe('ignored');
    expect(await eventsOf(id)).toEqual(['order.created@1', 'order.confirmed@2', 'order.shipped@3', 'order.completed@4']);
  });
});

describe('setShippingAddress', () => {
  it('writes the contact without a version or an event, and a concurrent status change still wins its race cleanly', async () => {
    const id = await confirmed(false);
    const stale = (await t.repository.findById(id))!;
    await setShippingAddress(t.deps, OWNER, id, { address: ADDRESS, email: 'Jane@Example.com' });
    const after = (await t.repository.findById(id))!;
    expect([after.version, after.email, after.shippingAddress?.postalCode]).toEqual([2, 'Jane@example.com', '62704']);
    expect(await eventsOf(id)).toEqual(['order.created@1', 'order.confirmed@2']);
    // A writer that read before the address was set loses (its save would drop the address), and retries.
    stale.complete(new Date());
    expect((await rejectionOf(t.repository.save(stale))).code).toBe(ErrorCode.CONFLICT);
  });
});
