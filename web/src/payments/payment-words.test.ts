import { describe, expect, it } from '@jest/globals';
import { describePayment } from './payment-words';

describe('describePayment', () => {
  it('says each status of a PENDING order’s payment, with the decline message', () => {
    expect(describePayment({ status: 'REQUIRES_PAYMENT' }, 'PENDING')).toBe('Awaiting your card');
    expect(describePayment({ status: 'FAILED', failureReason: 'Your card was declined.' }, 'PENDING')).toBe('Declined: Your card was declined.');
    expect(describePayment({ status: 'FAILED', failureReason: null }, 'PENDING')).toBe('Declined');
  });

  it('says why a payment was voided: the order confirmed without it, or cancelled', () => {
    expect(describePayment({ status: 'VOIDED', failureReason: 'the order was confirmed without this payment' }, 'CONFIRMED')).toBe(
      'Cancelled, nothing was charged: the order was confirmed without this payment',
    );
    expect(describePayment({ status: 'VOIDED', failureReason: 'the order was cancelled: changed my mind' }, 'CANCELLED')).toBe('Cancelled, nothing was charged: the order was cancelled: changed my mind');
    expect(describePayment({ status: 'VOIDED' }, 'CANCELLED')).toBe('Cancelled, nothing was charged');
  });

  it('never asks for a card once the order is no longer PENDING, even before Payments has cancelled the payment', () => {
    for (const orderStatus of ['CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELLED'] as const) {
      expect([describePayment({ status: 'REQUIRES_PAYMENT' }, orderStatus), describePayment({ status: 'FAILED', failureReason: 'Your card was declined.' }, orderStatus)]).toEqual([
        'Not needed any more: nothing was charged',
        'Not needed any more: nothing was charged',
      ]);
    }
  });

  it('says an authorized, captured or refunded payment whatever the order', () => {
    expect([describePayment({ status: 'AUTHORIZED' }, 'CONFIRMED'), describePayment({ status: 'CAPTURED' }, 'SHIPPED'), describePayment({ status: 'REFUNDED' }, 'CANCELLED')]).toEqual([
      'Authorized: your card is charged when the order ships',
      'Paid',
      'Refunded',
    ]);
  });
});
