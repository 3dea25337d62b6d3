import type Stripe from 'stripe';
import type { StoredPaymentMethod } from './payment-methods';

/** A charge and what of it was refunded through Refund objects (the rest of `amount_refunded` is released, never captured). */
export interface StoredCharge {
  readonly object: Stripe.Charge;
  refundedByRefunds: number;
}

/** The API request behind a change, as an event's `request` names it; null for what Stripe does on its own. */
export interface RequestInfo {
  readonly id: string;
  readonly idempotencyKey: string | null;
}

/**
 * The emulated account's objects, held in memory for the life of the process (`/_emulator/reset` empties it).
 * Objects are kept in Stripe's own shape and mutated in place; answers and events carry copies.
 */
export class EmulatorState {
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, StoredCharge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly paymentMethods = new Map<string, StoredPaymentMethod>();

  reset(): void {
    this.paymentIntents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.paymentMethods.clear();
  }
}
