/**
 * Payments, as Orders' fulfilment sees it: capture the order's authorized payment before the goods leave
 * (docs/architecture.md §4, the checkout saga). Idempotent by order id: a captured payment is answered as captured.
 */
export interface PaymentCapture {
  /**
   * `captured`: the money is taken. `nothing-to-capture`: the order has no payment (an admin confirmed it by hand,
   * e.g. a bank transfer). Throws PaymentFailedError when the provider refuses (the authorization expired or was
   * voided), and the adapter's unavailable error when Payments does not answer.
   */
  capture(orderId: string): Promise<'captured' | 'nothing-to-capture'>;
}
