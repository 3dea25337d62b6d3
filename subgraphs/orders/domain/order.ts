import { Address, AggregateRoot, InvalidOrderTransitionError, ValidationError, emailAddress, guard, type AddressInput, type Money, type MoneyProps } from '../../../lib/ddd';
import type { CancellationCause, ConfirmationCause, OrderEvent, ParcelTracking } from './order-events';
import { OrderItem } from './order-item';
import { assertTransition, type OrderStatus } from './order-status';

export const ORDER_LIMITS = {
  lines: { min: 1, max: 50 },
  quantity: { min: 1, max: 1000 },
  reason: { max: 500 },
} as const;

/** A line as requested by the customer, already priced from the catalog. */
export interface PricedLine {
  readonly productId: string;
  readonly productName: string;
  readonly unitPrice: MoneyProps;
  readonly quantity: number;
}

export interface OrderState {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly items: readonly OrderItem[];
  readonly placedAt: Date;
  readonly updatedAt: Date;
  readonly cancellationReason: string | undefined;
  /** When a PENDING order is cancelled unless its payment is authorized first; orders placed before deadlines had none. */
  readonly paymentDueAt: Date | undefined;
  /**
   * Whether the order counts against its customer's caps while PENDING (placed by a customer, not an admin): the
   * repository gives its share back in the same write that moves it out of PENDING.
   */
  readonly countsAgainstLimits: boolean;
  /** Where the goods go; orders placed without one get it from setShippingAddress before they can ship. */
  readonly shippingAddress: Address | undefined;
  /** The customer's contact email for this order (receipts, shipping news), checked and with its domain lower-cased. */
  readonly email: string | undefined;
  /**
   * What confirmed the order (order.confirmed's `confirmedBy`): its own card payment's authorization, or something
   * else (an admin's confirmation by hand, a payment.completed from another provider). Undefined while PENDING, and
   * on orders confirmed before it was recorded.
   */
  readonly confirmedBy: ConfirmationCause | undefined;
  /** The order's version as read from storage: 1 when placed, +1 per status change (the public Order.version). */
  readonly version: number;
  /**
   * How many times the stored row was written, as read: what a save is conditional on (optimistic concurrency).
   * A change of the contact details is a write without a status change, so it moves the revision, not the version.
   */
  readonly revision: number;
}

/** The order's contact details as a customer types them (PlaceOrderInput, setShippingAddress); nothing checked yet. */
export interface ContactInput {
  readonly shippingAddress?: AddressInput | null | undefined;
  readonly email?: string | null | undefined;
}

/** Checked contact details; either may be missing (older clients place orders without them). */
export interface Contact {
  readonly shippingAddress: Address | undefined;
  readonly email: string | undefined;
}

/**
 * Checks what a customer gave (lib/ddd's Address and email rules), naming the input field that is wrong, e.g.
 * `shippingAddress.postalCode` or `email`. Left out or null means "not given".
 */
export function checkContact(input: ContactInput, fields: { readonly address: string; readonly email: string }): Contact {
  return {
    shippingAddress: input.shippingAddress == null ? undefined : Address.of(input.shippingAddress, fields.address),
    email: input.email == null ? undefined : emailAddress(input.email, fields.email),
  };
}

/**
 * The requested lines, validated and with repeated products merged into one line (docs/architecture.md §2 limits:
 * 1-50 lines, 1-1000 units per line). Runs before any catalog lookup, so bad input costs nothing.
 */
export function normaliseLines<T extends { productId: string; quantity: number }>(lines: readonly T[]): { productId: string; quantity: number }[] {
  if (lines.length < ORDER_LIMITS.lines.min || lines.length > ORDER_LIMITS.lines.max) {
    throw new ValidationError('items', `an order has ${ORDER_LIMITS.lines.min}-${ORDER_LIMITS.lines.max} lines, got ${lines.length}`, { value: lines.length });
  }
  const merged = new Map<string, number>();
  lines.forEach((line, index) => {
    guard.integer(`items[${index}].quantity`, line.quantity, ORDER_LIMITS.quantity);
    guard.text(`items[${index}].productId`, line.productId, { min: 1, max: 100 });
    merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  });
  for (const [productId, quantity] of merged) {
    if (quantity > ORDER_LIMITS.quantity.max) {
      throw new ValidationError('items', `product ${productId} is ordered ${quantity} times in total; at most ${ORDER_LIMITS.quantity.max} per line`, {
        productId,
        value: quantity,
      });
    }
  }
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

function totalOf(items: readonly OrderItem[]): Money {
  const [first, ...rest] = items;
  return rest.reduce((sum, item) => sum.add(item.lineTotal, 'total'), first!.lineTotal);
}

/**
 * Every line total and the order total fit Money's range (the GraphQL Int the API answers with): checked when the
 * order is placed, before anything is stored, so an order too large to be read back is refused with
 * BAD_USER_INPUT naming the limit and the value instead of being committed with its event.
 */
function assertWithinMoneyRange(items: readonly OrderItem[]): void {
  items.forEach((item, index) => item.unitPrice.multiply(item.quantity, `items[${index}].lineTotal`));
  totalOf(items);
}

/** An order: what a customer bought, at which prices, and where it stands. Orders is its only writer. */
export class Order extends AggregateRoot<OrderEvent> {
  /** Version of the latest change recorded, stored or not: each status event carries the one after it. */
  private recordedVersion: number;
  /** A change without an event (the contact details) waits to be saved. */
  private contactChanged = false;
  /** The status as loaded (or placed): what the stored row still says until this change is saved. */
  private readonly storedStatus: OrderStatus;

  private constructor(private state: OrderState) {
    super();
    this.recordedVersion = state.version;
    this.storedStatus = state.status;
  }

  /**
   * `paymentDueAt`: when the order is cancelled unless paid (placedAt + PAYMENT_TIMEOUT_SECONDS). `countsAgainstLimits`:
   * the order took its share of the customer's caps (a customer's order; admins are not capped).
   */
  static place(input: {
    id: string;
    customerId: string;
    lines: readonly PricedLine[];
    now: Date;
    paymentDueAt?: Date | undefined;
    countsAgainstLimits?: boolean;
    contact?: Contact;
  }): Order {
    const byProduct = new Map<string, PricedLine>();
    for (const line of input.lines) {
      const previous = byProduct.get(line.productId);
      byProduct.set(line.productId, previous ? { ...previous, quantity: previous.quantity + line.quantity } : line);
    }
    normaliseLines([...byProduct.values()]);
    const items = [...byProduct.values()].map((line) => OrderItem.of(line));
    const currencies = new Set(items.map((item) => item.unitPrice.currency));
    if (currencies.size > 1) {
      throw new ValidationError('items', `an order never mixes currencies; these products are priced in ${[...currencies].sort().join(' and ')}`, {
        currencies: [...currencies].sort(),
      });
    }
    assertWithinMoneyRange(items);
    const order = new Order({
      id: input.id,
      customerId: input.customerId,
      status: 'PENDING',
      items,
      placedAt: input.now,
      updatedAt: input.now,
      cancellationReason: undefined,
      paymentDueAt: input.paymentDueAt,
      countsAgainstLimits: input.countsAgainstLimits ?? false,
      shippingAddress: input.contact?.shippingAddress,
      email: input.contact?.email,
      confirmedBy: undefined,
      version: 1,
      revision: 1,
    });
    order.record({
      type: 'order.created',
      occurredAt: input.now.toISOString(),
      data: {
        orderId: order.id,
        customerId: order.customerId,
        items: items.map((item) => ({ productId: item.productId, quantity: item.quantity, unitPrice: item.unitPrice.toJSON() })),
        total: order.total.toJSON(),
        version: 1,
        ...(input.paymentDueAt ? { paymentDueAt: input.paymentDueAt.toISOString() } : {}),
      },
    });
    return order;
  }

  static restore(state: OrderState): Order {
    return new Order(state);
  }

  get id(): string {
    return this.state.id;
  }
  get customerId(): string {
    return this.state.customerId;
  }
  get status(): OrderStatus {
    return this.state.status;
  }
  get items(): readonly OrderItem[] {
    return this.state.items;
  }
  /**
   * Whether the order was paid by other means than a card payment of its own (confirmed by an admin by hand, or by
   * payment.completed): nothing may be captured for it, whatever card payment its customer had started (Payments voids
   * it). Orders confirmed before `confirmedBy` was recorded answer false: their capture is asked for as before.
   */
  get paidOtherwise(): boolean {
    return this.state.confirmedBy === 'admin' || this.state.confirmedBy === 'payment-completed';
  }
  get placedAt(): Date {
    return this.state.placedAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }
  get cancellationReason(): string | undefined {
    return this.state.cancellationReason;
  }
  get version(): number {
    return this.state.version;
  }
  get paymentDueAt(): Date | undefined {
    return this.state.paymentDueAt;
  }
  get shippingAddress(): Address | undefined {
    return this.state.shippingAddress;
  }
  get email(): string | undefined {
    return this.state.email;
  }

  /** The repository stored this instance's changes: its events are on their way (outbox), nothing waits. */
  markSaved(): void {
    this.pullEvents();
    this.contactChanged = false;
  }

  /** Something was changed on this instance that a save must write (a status change, or the contact details). */
  get hasUnsavedChanges(): boolean {
    return this.contactChanged || this.peekEvents().length > 0;
  }

  /** PENDING with its payment deadline passed at `now`: the deadline sweep cancels it. */
  isOverdue(now: Date): boolean {
    return this.state.status === 'PENDING' && this.state.paymentDueAt !== undefined && this.state.paymentDueAt.getTime() <= now.getTime();
  }

  /** The change being saved moves a capped order out of PENDING: its share of the customer's caps goes back with it. */
  get releasesCustomerLimits(): boolean {
    return this.state.countsAgainstLimits && this.storedStatus === 'PENDING' && this.state.status !== 'PENDING';
  }

  /**
   * The version once the changes made on this instance are stored: what its last status event says, and what a
   * read after the save shows (1 when placed, +1 per status change). The public Order.version.
   */
  get versionAfterChanges(): number {
    return this.recordedVersion;
  }

  /** Sum of the line totals, in minor units of the order's single currency. */
  get total(): Money {
    if (this.state.items.length === 0) throw new Error(`order ${this.state.id} has no items`);
    return totalOf(this.state.items);
  }

  isOwnedBy(customerId: string): boolean {
    return this.state.customerId === customerId;
  }

  snapshot(): OrderState {
    return this.state;
  }

  /** PENDING -> CONFIRMED; `by` says what confirmed it (order.confirmed's `confirmedBy`, docs/architecture.md §4). */
  confirm(now: Date, by?: ConfirmationCause): void {
    this.transition('CONFIRMED', now, undefined, undefined, undefined, by);
  }

  /** CONFIRMED or SHIPPED -> COMPLETED: delivered (markOrderDelivered), or completed by an admin by hand. */
  complete(now: Date): void {
    this.transition('COMPLETED', now);
  }

  /**
   * The customer gives (or corrects) where the goods go and whom to tell: while the order is PENDING or CONFIRMED,
   * so never after the parcel left. Not a status change: the version stays, no event.
   */
  setContact(contact: { readonly shippingAddress: Address; readonly email: string }): void {
    const status = this.state.status;
    if (status !== 'PENDING' && status !== 'CONFIRMED') {
      throw new InvalidOrderTransitionError(`order ${this.state.id} is ${status}; its shipping address can change only while it is PENDING or CONFIRMED`, {
        orderId: this.state.id,
        from: status,
      });
    }
    this.state = { ...this.state, shippingAddress: contact.shippingAddress, email: contact.email };
    this.contactChanged = true;
  }

  /**
   * What shipping needs before anything is captured or handed to a carrier: CONFIRMED (else INVALID_ORDER_TRANSITION),
   * a shipping address and a contact email (else BAD_USER_INPUT naming what is missing).
   */
  assertReadyToShip(): { readonly shippingAddress: Address; readonly email: string } {
    assertTransition(this.state.id, this.state.status, 'SHIPPED');
    const { shippingAddress, email } = this.state;
    if (shippingAddress && email) return { shippingAddress, email };
    const missing = [...(shippingAddress ? [] : ['shippingAddress']), ...(email ? [] : ['email'])];
    throw new ValidationError(
      missing[0]!,
      `order ${this.state.id} has no ${missing.map((field) => (field === 'email' ? 'contact email' : 'shipping address')).join(' and no ')}; set ${missing.length > 1 ? 'them' : 'it'} with setShippingAddress before shipping`,
      { orderId: this.state.id, missing },
    );
  }

  /** CONFIRMED -> SHIPPED: the parcel left with a carrier (order.shipped carries how to follow it). */
  ship(tracking: ParcelTracking, now: Date): void {
    this.transition('SHIPPED', now, undefined, undefined, tracking);
  }

  /** `cause` says why for machines (docs/architecture.md §4: customer, admin, payment-timeout, stock-expired); `reason` for people. */
  cancel(reason: string | null | undefined, now: Date, cause?: CancellationCause): void {
    const trimmed = reason == null ? undefined : guard.text('reason', reason, { max: ORDER_LIMITS.reason.max }) || undefined;
    this.transition('CANCELLED', now, trimmed, cause);
  }

  private transition(
    to: Exclude<OrderStatus, 'PENDING'>,
    now: Date,
    reason?: string,
    cause?: CancellationCause,
    tracking?: ParcelTracking,
    confirmedBy?: ConfirmationCause,
  ): void {
    const from = this.state.status;
    assertTransition(this.state.id, from, to);
    this.state = {
      ...this.state,
      status: to,
      updatedAt: now,
      ...(to === 'CANCELLED' ? { cancellationReason: reason } : {}),
      ...(to === 'CONFIRMED' ? { confirmedBy } : {}),
    };
    const data = {
      orderId: this.state.id,
      customerId: this.state.customerId,
      status: to,
      previousStatus: from,
      total: this.total.toJSON(),
      ...(reason !== undefined ? { reason } : {}),
      ...(cause !== undefined ? { cause } : {}),
      ...(confirmedBy !== undefined ? { confirmedBy } : {}),
      // Each status change is stored as the next version; the event says which. Changes not stored yet count too,
      // so events of one aggregate always carry increasing versions.
      version: (this.recordedVersion += 1),
    };
    const occurredAt = now.toISOString();
    if (to === 'SHIPPED') {
      if (!tracking) throw new Error(`order ${this.state.id} cannot ship without tracking`);
      const { carrier, trackingNumber, trackingUrl } = tracking;
      this.record({ type: 'order.shipped', occurredAt, data: { ...data, carrier, trackingNumber, ...(trackingUrl ? { trackingUrl } : {}) } });
      return;
    }
    this.record({ type: to === 'CONFIRMED' ? 'order.confirmed' : to === 'COMPLETED' ? 'order.completed' : 'order.cancelled', occurredAt, data });
  }
}
