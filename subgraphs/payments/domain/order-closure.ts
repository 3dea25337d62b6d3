import { COMPENSABLE, UNCAPTURED, type PaymentStatus } from './payment-status';

/**
 * Why an order takes no card payment any more, learnt from Orders' events and remembered apart from the payment, for
 * good (docs/payments.md, "Orders confirmed without their card payment"):
 * - `CANCELLED` (order.cancelled): whatever the payment holds or took is given back (voided, or refunded);
 * - `CONFIRMED` (order.confirmed without this payment: by an admin by hand, or paid otherwise): the payment is released
 *   before capture (voided). A captured one is left alone: it was taken when the order shipped, and whether the
 *   customer paid twice is for a person to see.
 * Either way no payment starts for the order any more, and an authorization that arrives later is undone at once.
 * A cancellation prevails over a confirmation: a confirmed order may be cancelled later, and the news of the two may
 * arrive in either order.
 */
export type OrderClosure = 'CANCELLED' | 'CONFIRMED';

/** The payment statuses an order's closure leaves something to undo at the provider for. */
export const UNDONE_ON_CLOSURE: Readonly<Record<OrderClosure, readonly PaymentStatus[]>> = {
  CANCELLED: COMPENSABLE,
  CONFIRMED: UNCAPTURED,
};
