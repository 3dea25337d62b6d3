import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { OrderStatusMessage } from './order-status-message';
import { VersionOrder } from './version-order';

const STATUS = ['PENDING', 'CONFIRMED', 'COMPLETED'] as const;

function update(version: number | undefined, eventId = `event-${version}`): OrderStatusMessage {
  const status = STATUS[(version ?? 1) - 1] ?? 'CANCELLED';
  return { eventId, orderId: 'order-1', customerId: 'customer-1', status, previousStatus: null, at: '2026-03-01T10:00:00.000Z', ...(version ? { version } : {}) };
}

describe('VersionOrder', () => {
  let delivered: (number | undefined)[];
  let order: VersionOrder;
  beforeEach(() => {
    jest.useFakeTimers();
    delivered = [];
    order = new VersionOrder((message) => delivered.push(message.version), { windowMs: 250 });
  });
  afterEach(() => {
    order.close();
    jest.useRealTimers();
  });

  it('delivers consecutive versions at once and drops a redelivered event', () => {
    order.accept(update(1));
    order.accept(update(2));
    order.accept(update(2));
    order.accept(update(3));
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('never delivers an older status after a newer one (a late PENDING after CONFIRMED, a duplicate under another id)', () => {
    order.accept(update(2));
    order.accept(update(1));
    order.accept(update(2, 'another-id-for-v2'));
    order.accept(update(3));
    expect(delivered).toEqual([2, 3]);
  });

  it('holds an update that skips a version until the missing one arrives, then delivers both in order', () => {
    order.accept(update(1));
    order.accept(update(3));
    expect(delivered).toEqual([1]);
    order.accept(update(2));
    expect(delivered).toEqual([1, 2, 3]);
    jest.advanceTimersByTime(1000);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('delivers a held update alone once the window passes, and drops the missing one if it comes later', () => {
    order.accept(update(1));
    order.accept(update(3));
    jest.advanceTimersByTime(249);
    expect(delivered).toEqual([1]);
    jest.advanceTimersByTime(1);
    expect(delivered).toEqual([1, 3]);
    order.accept(update(2));
    expect(delivered).toEqual([1, 3]);
  });

  it('drops versions the subscriber is known to have seen', () => {
    const late = new VersionOrder((message) => delivered.push(message.version), { after: 1 });
    late.accept(update(1));
    late.accept(update(2));
    expect(delivered).toEqual([2]);
    late.close();
  });

  it('passes updates without a version straight through', () => {
    order.accept(update(undefined, 'legacy-1'));
    order.accept(update(undefined, 'legacy-2'));
    expect(delivered).toEqual([undefined, undefined]);
  });
});
