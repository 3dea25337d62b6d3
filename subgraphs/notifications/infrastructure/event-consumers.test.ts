import { describe, expect, it } from '@jest/globals';
import { minimumRetrySpanMs } from '../../../lib/events/backoff';
import { sampleEnvelope } from '../../../lib/events/testing/fixtures';
import { NOTIFICATION_EVENT_TYPES, NOTIFICATIONS_RETRY, triggerFromEvent } from './event-consumers';

describe('what each event asks for', () => {
  it('turns the five event types into triggers carrying what their emails need', () => {
    const confirmed = sampleEnvelope('order.confirmed', { orderId: 'o-1' });
    expect(triggerFromEvent(confirmed)).toEqual({ kind: 'order-confirmed', eventId: confirmed.id, orderId: 'o-1', occurredAt: confirmed.occurredAt });
    const failed = sampleEnvelope('payment.failed', { orderId: 'o-1', reason: 'declined', amount: { amount: 500, currency: 'EUR' } });
    expect(triggerFromEvent(failed)).toMatchObject({ kind: 'payment-failed', reason: 'declined', amount: { amount: 500, currency: 'EUR' } });
    const shipped = sampleEnvelope('order.shipped', { orderId: 'o-1', carrier: 'DHL', trackingNumber: 'T1', trackingUrl: 'https://t.example/T1' });
    expect(triggerFromEvent(shipped)).toMatchObject({ kind: 'order-shipped', carrier: 'DHL', trackingNumber: 'T1', trackingUrl: 'https://t.example/T1' });
    const delivered = sampleEnvelope('shipment.delivered', { orderId: 'o-1', at: '2026-03-04T15:20:00.000Z' });
    expect(triggerFromEvent(delivered)).toMatchObject({ kind: 'order-delivered', deliveredAt: '2026-03-04T15:20:00.000Z' });
    const cancelled = sampleEnvelope('order.cancelled', { orderId: 'o-1', cause: 'payment-timeout', reason: 'too late' });
    expect(triggerFromEvent(cancelled)).toMatchObject({ kind: 'order-cancelled', cause: 'payment-timeout', reason: 'too late' });
    expect(triggerFromEvent(sampleEnvelope('order.completed'))).toBeUndefined();
    expect(NOTIFICATION_EVENT_TYPES).toEqual(['order.confirmed', 'payment.failed', 'order.shipped', 'shipment.delivered', 'order.cancelled']);
  });

  it('retries long enough to outlast a mail server down for a minute, twice over', () => {
    expect(NOTIFICATIONS_RETRY).toEqual({ maxAttempts: 10, retryBackoff: { initialMs: 1_000, maxMs: 60_000 } });
    expect(minimumRetrySpanMs(NOTIFICATIONS_RETRY)).toBe(121_500);
  });
});
