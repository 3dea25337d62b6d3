import type { Page, PageRequest } from '../../../lib/ddd';
import type { Order } from './order';
import type { OrderStatus } from './order-status';

/** Identifies an event a consumer is handling, so its effect and its "processed" mark commit together. */
export interface CausingEvent {
  readonly consumer: string;
  readonly eventId: string;
}

export type CreateOrderResult = { readonly created: true } | { readonly created: false; readonly existingOrderId: string };

/** An idempotency key claimed with a new order: bound to the request's fingerprint, live until `expiresAt`. */
export interface IdempotencyClaim {
  readonly customerId: string;
  readonly key: string;
  readonly fingerprint: string;
  /** The fingerprint of the same request before the contact details were part of it: what older keys are bound to. */
  readonly linesOnlyFingerprint: string;
  /** When the claim is made: a key whose `expiresAt` is before it may be claimed again. */
  readonly now: Date;
  readonly expiresAt: Date;
}

/** A stored key. Keys claimed before fingerprints and expiry were recorded have neither. */
export interface IdempotencyRecord {
  readonly orderId: string;
  readonly fingerprint: string | undefined;
  readonly expiresAt: Date | undefined;
}

/**
 * Persistence port for orders. Implementations write pending events to the outbox in the same transaction,
 * and translate storage failures into domain errors.
 */
export interface OrderRepository {
  /**
   * Stores a new order. With an idempotency claim, the key is claimed in the same transaction: when the
   * customer holds it already (not expired), nothing is written and the id of the order that holds it is returned.
   */
  create(order: Order, claim?: IdempotencyClaim): Promise<CreateOrderResult>;
  /**
   * Stores a change. ConcurrentModificationError when the order changed since it was read. With `causedBy`,
   * returns 'duplicate' (and writes nothing) when that event was already processed.
   */
  save(order: Order, causedBy?: CausingEvent): Promise<'saved' | 'duplicate'>;
  findById(id: string): Promise<Order | null>;
  findByIds(ids: readonly string[]): Promise<Order[]>;
  /** The stored key, expired or not (the caller compares `expiresAt` with its clock). */
  findIdempotencyKey(customerId: string, key: string): Promise<IdempotencyRecord | null>;
  /** PENDING orders whose payment deadline is at or before `now`, earliest deadline first, at most `limit`. */
  listOverdue(now: Date, limit: number): Promise<Order[]>;
  /** A customer's orders, newest first, optionally of one status. */
  listByCustomer(customerId: string, query: { status?: OrderStatus | undefined } & PageRequest): Promise<Page<Order>>;
  /** Every customer's orders, newest first, optionally of one status (the admin list). */
  list(query: { status?: OrderStatus | undefined } & PageRequest): Promise<Page<Order>>;
}
