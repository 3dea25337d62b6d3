import type { Page, PageRequest } from '../../../lib/ddd';
import type { Order } from './order';
import type { OrderStatus } from './order-status';

/** Identifies an event a consumer is handling, so its effect and its "processed" mark commit together. */
export interface CausingEvent {
  readonly consumer: string;
  readonly eventId: string;
}

export type CreateOrderResult = { readonly created: true } | { readonly created: false; readonly existingOrderId: string };

/**
 * Persistence port for orders. Implementations write pending events to the outbox in the same transaction,
 * and translate storage failures into domain errors.
 */
export interface OrderRepository {
  /**
   * Stores a new order. With an idempotency key, the key is claimed in the same transaction: when the
   * customer already used it, nothing is written and the id of the order that holds it is returned.
   */
  create(order: Order, idempotencyKey?: string): Promise<CreateOrderResult>;
  /**
   * Stores a change. ConcurrentModificationError when the order changed since it was read. With `causedBy`,
   * returns 'duplicate' (and writes nothing) when that event was already processed.
   */
  save(order: Order, causedBy?: CausingEvent): Promise<'saved' | 'duplicate'>;
  findById(id: string): Promise<Order | null>;
  findByIds(ids: readonly string[]): Promise<Order[]>;
  findIdByIdempotencyKey(customerId: string, key: string): Promise<string | null>;
  /** A customer's orders, newest first, optionally of one status. */
  listByCustomer(customerId: string, query: { status?: OrderStatus | undefined } & PageRequest): Promise<Page<Order>>;
  /** Every customer's orders, newest first, optionally of one status (the admin list). */
  list(query: { status?: OrderStatus | undefined } & PageRequest): Promise<Page<Order>>;
}
