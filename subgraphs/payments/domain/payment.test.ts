import { describe, expect, it } from '@jest/globals';
import type { OrderClosure } from './order-closure';
import { Payment } from './payment';
import type { PaymentStatus } from './payment-status';
import type { ProviderState } from './provider-state';

/** The Payment aggregate: where each piece of provider news takes it, and which events it records once. */

const now = new Date('2026-03-01T10:00:00.000Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const amount = { amount: 2599, currency: 'USD' };

function started(): Payment {
  return Payment.start({ id: 'pay-1', orderId: 'order-1', customerId: 'customer-1', amount, provider: 'stripe', providerPaymentId: 'pi_1', clientSecret: 'pi_1_secret_x', now });
}

const at = (status: ProviderState['status'], extra: Partial<ProviderState> = {}): ProviderState => ({ status, amount, ...extra });
const eventTypes = (payment: Payment) => payment.pullEvents().map((event) => [event.type, event.data.reason]);

describe('Payment', () => {
  it('starts REQUIRES_PAYMENT, recording nothing', () => {
    const payment = started();
    expect([payment.status, payment.awaitingPayment, payment.orderClosed, payment.undoneByClosure, payment.version]).toEqual(['REQUIRES_PAYMENT', true, undefined, false, 1]);
    expect(payment.pullEvents()).toEqual([]);
  });

  it('records a declined attempt, then the authorization of the retry, with the event payload of the contract', () => {
    const payment = started();
    expect(payment.reconcile(at('requires_payment', { lastFailure: 'Your card was declined.' }), later(1), { failedAttempt: true })).toBe(true);
    expect([payment.status, payment.failureReason]).toEqual(['FAILED', 'Your card was declined.']);
    const [failed] = payment.pullEvents();
    expect(failed).toEqual({
      type: 'payment.failed',
      occurredAt: later(1).toISOString(),
      data: { orderId: 'order-1', paymentId: 'pay-1', customerId: 'customer-1', amount, provider: 'stripe', providerPaymentId: 'pi_1', reason: 'Your card was declined.' },
    });
    expect(payment.reconcile(at('authorized'), later(2))).toBe(true);
    expect([payment.status, payment.failureReason, payment.updatedAt]).toEqual(['AUTHORIZED', undefined, later(2)]);
    expect(eventTypes(payment)).toEqual([['payment.authorized', undefined]]);
  });

  it('absorbs repeated and out-of-order news: a stale decline after the authorization, the same authorization twice', () => {
    const payment = started();
    payment.reconcile(at('authorized'), later(1));
    payment.pullEvents();
    expect(payment.reconcile(at('authorized'), later(2))).toBe(false);
    expect(payment.reconcile(at('requires_payment', { lastFailure: 'Your card was declined.' }), later(3), { failedAttempt: true })).toBe(false);
    expect(payment.reconcile(at('processing'), later(4))).toBe(false);
    expect([payment.status, payment.pullEvents()]).toEqual(['AUTHORIZED', []]);
  });

  it('records a decline only for news of a failed attempt', () => {
    const payment = started();
    expect(payment.reconcile(at('requires_payment', { lastFailure: 'Your card was declined.' }), later(1))).toBe(false);
    expect(payment.status).toBe('REQUIRES_PAYMENT');
  });

  it('catches up on missed steps in order: authorized, then captured, then refunded', () => {
    const payment = started();
    expect(payment.reconcile(at('captured', { refunded: true }), later(1), { reason: 'the order was cancelled' })).toBe(true);
    expect(payment.status).toBe('REFUNDED');
    expect(eventTypes(payment)).toEqual([
      ['payment.authorized', undefined],
      ['payment.captured', undefined],
      ['payment.refunded', 'the order was cancelled'],
    ]);
  });

  it('voids before capture with the reason given, or the provider’s', () => {
    const cancelled = started();
    cancelled.reconcile(at('authorized'), later(1));
    cancelled.pullEvents();
    cancelled.reconcile(at('canceled', { cancellationReason: 'abandoned' }), later(2), { reason: 'the order was cancelled: payment-timeout' });
    expect([cancelled.status, cancelled.failureReason, eventTypes(cancelled)]).toEqual([
      'VOIDED',
      'the order was cancelled: payment-timeout',
      [['payment.voided', 'the order was cancelled: payment-timeout']],
    ]);

    const expired = started();
    expired.reconcile(at('canceled', { cancellationReason: 'automatic' }), later(1));
    expect(eventTypes(expired)).toEqual([['payment.voided', 'the authorization expired at the provider before it was captured']]);
  });

  it('owes an undo to a cancelled order while anything is held or taken, to an order confirmed without it only before capture', () => {
    const closedAt = (status: PaymentStatus, orderClosed: OrderClosure | undefined) => Payment.restore({ ...started().snapshot(), status, orderClosed }).undoneByClosure;
    const statuses: PaymentStatus[] = ['REQUIRES_PAYMENT', 'FAILED', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED'];
    expect(statuses.map((status) => [status, closedAt(status, 'CANCELLED'), closedAt(status, 'CONFIRMED'), closedAt(status, undefined)])).toEqual([
      ['REQUIRES_PAYMENT', true, true, false],
      ['FAILED', true, true, false],
      ['AUTHORIZED', true, true, false],
      ['CAPTURED', true, false, false],
      ['VOIDED', false, false, false],
      ['REFUNDED', false, false, false],
    ]);
  });

  it('never leaves a final status', () => {
    const payment = started();
    payment.reconcile(at('canceled'), later(1));
    payment.pullEvents();
    for (const news of [at('authorized'), at('captured'), at('requires_payment', { lastFailure: 'x' })]) expect(payment.reconcile(news, later(2), { failedAttempt: true })).toBe(false);
    expect(payment.status).toBe('VOIDED');
  });

  it('keeps a provider message to 500 characters', () => {
    const payment = started();
    payment.reconcile(at('requires_payment', { lastFailure: 'x'.repeat(2000) }), later(1), { failedAttempt: true });
    expect(payment.failureReason).toHaveLength(500);
  });
});
