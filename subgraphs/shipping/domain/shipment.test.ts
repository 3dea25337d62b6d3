import { describe, expect, it } from '@jest/globals';
import { Address, ConflictError, ErrorCode, ValidationError } from '../../../lib/ddd';
import { Shipment } from './shipment';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const t1 = new Date('2026-03-02T10:00:00.000Z');
const t2 = new Date('2026-03-04T10:00:00.000Z');
const address = Address.of({ name: 'Jane Doe', line1: '742 Evergreen Terrace', city: 'Springfield', postalCode: '62704', country: 'US' });
const ups = { carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' };

const ready = () => {
  const shipment = Shipment.prepare({ id: 'shipment-1', orderId: 'order-1', customerId: 'customer-1', now: t0 });
  shipment.pullEvents();
  return shipment;
};

function errorOf(fn: () => unknown): Error & { code?: string; details?: unknown } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('Shipment', () => {
  it('is prepared READY for a confirmed order, with shipment.created', () => {
    const shipment = Shipment.prepare({ id: 'shipment-1', orderId: 'order-1', customerId: 'customer-1', now: t0 });
    expect([shipment.status, shipment.isVisible, shipment.version, shipment.tracking]).toEqual(['READY', true, 0, undefined]);
    expect(shipment.pullEvents()).toEqual([
      {
        type: 'shipment.created',
        occurredAt: t0.toISOString(),
        data: { orderId: 'order-1', shipmentId: 'shipment-1', customerId: 'customer-1', at: t0.toISOString() },
      },
    ]);
  });

  it('ships with its carrier, tracking and address, then is delivered, each once with its event', () => {
    const shipment = ready();
    expect(shipment.ship(ups, address, t1)).toBe(true);
    expect([shipment.status, shipment.shippedAt, shipment.tracking, shipment.address]).toEqual(['SHIPPED', t1, ups, address.toJSON()]);
    expect(shipment.pullEvents()).toEqual([
      {
        type: 'shipment.shipped',
        occurredAt: t1.toISOString(),
        data: { orderId: 'order-1', shipmentId: 'shipment-1', customerId: 'customer-1', ...ups, at: t1.toISOString() },
      },
    ]);
    expect(shipment.deliver(t2)).toBe(true);
    expect([shipment.status, shipment.deliveredAt]).toEqual(['DELIVERED', t2]);
    expect(shipment.pullEvents().map((event) => [event.type, event.data])).toEqual([
      ['shipment.delivered', { orderId: 'order-1', shipmentId: 'shipment-1', customerId: 'customer-1', ...ups, at: t2.toISOString() }],
    ]);
  });

  it('takes a repeated ship or deliver as done, recording nothing', () => {
    const shipment = ready();
    shipment.ship(ups, address, t1);
    shipment.pullEvents();
    expect(shipment.ship({ carrier: 'UPS', trackingNumber: '1Z999AA10123456784' }, address, t2)).toBe(false);
    shipment.deliver(t2);
    shipment.pullEvents();
    expect(shipment.ship(ups, address, t2)).toBe(false);
    expect(shipment.deliver(t2)).toBe(false);
    expect(shipment.peekEvents()).toEqual([]);
    expect(shipment.shippedAt).toEqual(t1);
  });

  it('refuses to ship again with another carrier or number (CONFLICT), naming what it shipped with', () => {
    const shipment = ready();
    shipment.ship(ups, address, t1);
    const error = errorOf(() => shipment.ship({ carrier: 'FedEx', trackingNumber: '449044304137821' }, address, t2));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe('order order-1 was shipped already with UPS 1Z999AA10123456784');
    expect(error.details).toEqual({ orderId: 'order-1', status: 'SHIPPED', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
  });

  it('cannot be delivered before it ships', () => {
    const error = errorOf(() => ready().deliver(t1));
    expect([error.code, error.message]).toEqual([ErrorCode.CONFLICT, 'the shipment of order order-1 is READY: it must be shipped before it can be delivered']);
  });

  it('is withdrawn while READY when its order is cancelled, and then neither ships nor delivers', () => {
    const shipment = ready();
    expect(shipment.withdraw(t1)).toBe(true);
    expect([shipment.status, shipment.isVisible]).toEqual(['WITHDRAWN', false]);
    expect(shipment.withdraw(t2)).toBe(false);
    expect(shipment.peekEvents()).toEqual([]);
    expect(errorOf(() => shipment.ship(ups, address, t2)).message).toBe('order order-1 was cancelled and its shipment withdrawn: it cannot be shipped');
    expect(errorOf(() => shipment.deliver(t2)).message).toBe('order order-1 was cancelled and its shipment withdrawn: it cannot be delivered');
  });

  it('stays as it is when the cancellation comes after it shipped', () => {
    const shipment = ready();
    shipment.ship(ups, address, t1);
    expect(shipment.withdraw(t2)).toBe(false);
    expect(shipment.status).toBe('SHIPPED');
  });

  it('can be stored withdrawn before it was ever created (a cancellation that arrived first), without an event', () => {
    const shipment = Shipment.withdrawnBeforeCreation({ id: 'shipment-2', orderId: 'order-2', customerId: 'customer-1', now: t0 });
    expect([shipment.status, shipment.isVisible, shipment.peekEvents()]).toEqual(['WITHDRAWN', false, []]);
  });

  it('checks the tracking it records against the event contract’s bounds', () => {
    const shipment = ready();
    const long = errorOf(() => shipment.ship({ carrier: 'Acme', trackingNumber: 'x'.repeat(101) }, address, t1));
    expect(long).toBeInstanceOf(ValidationError);
    expect(long.message).toMatch(/^trackingNumber must be 1-100 characters, got 101/);
    const plain = errorOf(() => shipment.ship({ carrier: 'Acme', trackingNumber: 'A1', trackingUrl: 'http://acme.example/A1' }, address, t1));
    expect(plain.message).toBe('trackingUrl must be an https URL, got "http://acme.example/A1"');
    expect(shipment.status).toBe('READY');
  });
});
