/**
 * A payment's life (docs/architecture.md §4, "The checkout saga"):
 *   REQUIRES_PAYMENT -> AUTHORIZED -> CAPTURED -> REFUNDED
 *   REQUIRES_PAYMENT <-> FAILED (a declined attempt; the customer tries again with the same intent)
 *   REQUIRES_PAYMENT | FAILED | AUTHORIZED -> VOIDED (cancelled before capture: the order was cancelled, or confirmed
 *                                                   without this payment, or the authorization expired)
 */
export type PaymentStatus = 'REQUIRES_PAYMENT' | 'AUTHORIZED' | 'CAPTURED' | 'FAILED' | 'VOIDED' | 'REFUNDED';

/** No money is held or taken yet: the customer may still pay (with the client secret). */
export const AWAITING_PAYMENT: readonly PaymentStatus[] = ['REQUIRES_PAYMENT', 'FAILED'];

/** Nothing is taken yet: the payment can still be voided at the provider. */
export const UNCAPTURED: readonly PaymentStatus[] = ['REQUIRES_PAYMENT', 'FAILED', 'AUTHORIZED'];
/** Statuses from which a cancelled order still has something to undo at the provider. */
export const COMPENSABLE: readonly PaymentStatus[] = ['REQUIRES_PAYMENT', 'FAILED', 'AUTHORIZED', 'CAPTURED'];

export const FINAL: readonly PaymentStatus[] = ['VOIDED', 'REFUNDED'];
