import type { OrderClosure } from './order-closure';
import type { Payment } from './payment';

/** Identifies what a handler is processing (an order event, a provider webhook event), so its effect and its
 * "processed" mark commit together. */
export interface CausingEvent {
  readonly consumer: string;
  readonly eventId: string;
}

/**
 * Persistence port for payments, one per order. Implementations write pending events to the outbox in the same
 * transaction and translate storage failures into domain errors.
 */
export interface PaymentRepository {
  /**
   * Stores a new payment, unless the order has one already (`exists`: the caller answers with that one) or was closed
   * to card payment (`{ closed }`, how: no payment may start).
   */
  create(payment: Payment): Promise<'created' | 'exists' | { readonly closed: OrderClosure }>;
  /**
   * Stores a change. ConcurrentModificationError when the payment changed since it was read. With `causedBy`,
   * returns 'duplicate' (and writes nothing) when that event was already processed.
   */
  save(payment: Payment, causedBy?: CausingEvent): Promise<'saved' | 'duplicate'>;
  /** The order's payment, knowing whether and how the order was closed to card payment; null when none was started. */
  findByOrderId(orderId: string): Promise<Payment | null>;
  findByOrderIds(orderIds: readonly string[]): Promise<Payment[]>;
  /**
   * Remembers for good that the order was closed to card payment, and how (idempotent). A cancellation prevails: it
   * replaces a confirmation remembered before, and a confirmation learnt after it changes nothing.
   */
  rememberClosedOrder(orderId: string, closure: OrderClosure, at: Date): Promise<void>;
  /** Whether `causedBy` was processed already. */
  wasProcessed(causedBy: CausingEvent): Promise<boolean>;
  /** Marks `causedBy` processed when it changed nothing ('duplicate' when it was marked already). */
  markProcessed(causedBy: CausingEvent): Promise<'marked' | 'duplicate'>;
}
