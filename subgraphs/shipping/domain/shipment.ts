import { AggregateRoot, ConflictError, type Address, type AddressProps } from '../../../lib/ddd';
import type { ShipmentEvent } from './shipment-events';
import { checkedTracking, sameTracking, type Tracking } from './tracking';

/**
 * READY      the order is confirmed: the goods wait to be packed and handed to a carrier
 * SHIPPED    a carrier has the parcel; tracking number (and link) known
 * DELIVERED  the carrier delivered it. Final
 * WITHDRAWN  the order was cancelled before anything left: no shipment, as far as anyone outside is concerned
 *            (Order.shipment is null). Final; it also stops a late order.confirmed from creating one
 */
export type ShipmentStatus = 'READY' | 'SHIPPED' | 'DELIVERED' | 'WITHDRAWN';

export interface ShipmentState {
  readonly id: string;
  readonly orderId: string;
  /** The order's owner (from Orders' events and commands): who may see the shipment besides admins. */
  readonly customerId: string;
  readonly status: ShipmentStatus;
  readonly tracking: Tracking | undefined;
  /** Where the parcel went: the order's address when it was shipped. */
  readonly address: AddressProps | undefined;
  readonly createdAt: Date;
  readonly shippedAt: Date | undefined;
  readonly deliveredAt: Date | undefined;
  readonly updatedAt: Date;
  /** Optimistic-concurrency version as read from storage; 0 for a shipment not stored yet. */
  readonly version: number;
}

interface NewShipment {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly now: Date;
}

/**
 * The fulfilment of one order (one shipment per order, keyed by the order id). Shipping owns it; Orders commands
 * it (ship, deliver) and learns of it from its events. Every change is idempotent: repeating a change already made
 * changes nothing and records nothing, so retried commands and redelivered events converge.
 */
export class Shipment extends AggregateRoot<ShipmentEvent> {
  private constructor(private state: ShipmentState) {
    super();
  }

  /** The order was confirmed: the shipment waits, READY, for an admin to ship it. */
  static prepare(input: NewShipment): Shipment {
    const shipment = Shipment.blank(input, 'READY');
    shipment.emit('shipment.created', input.now);
    return shipment;
  }

  /**
   * The order was cancelled before its shipment was created (events can arrive out of order): the shipment is
   * stored withdrawn, so the late order.confirmed finds it and creates nothing. Nobody outside sees it: no event.
   */
  static withdrawnBeforeCreation(input: NewShipment): Shipment {
    return Shipment.blank(input, 'WITHDRAWN');
  }

  static restore(state: ShipmentState): Shipment {
    return new Shipment(state);
  }

  private static blank(input: NewShipment, status: ShipmentStatus): Shipment {
    return new Shipment({
      id: input.id,
      orderId: input.orderId,
      customerId: input.customerId,
      status,
      tracking: undefined,
      address: undefined,
      createdAt: input.now,
      shippedAt: undefined,
      deliveredAt: undefined,
      updatedAt: input.now,
      version: 0,
    });
  }

  get id(): string {
    return this.state.id;
  }
  get orderId(): string {
    return this.state.orderId;
  }
  get customerId(): string {
    return this.state.customerId;
  }
  get status(): ShipmentStatus {
    return this.state.status;
  }
  get tracking(): Tracking | undefined {
    return this.state.tracking;
  }
  get address(): AddressProps | undefined {
    return this.state.address;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get shippedAt(): Date | undefined {
    return this.state.shippedAt;
  }
  get deliveredAt(): Date | undefined {
    return this.state.deliveredAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }
  get version(): number {
    return this.state.version;
  }
  /** Whether anyone outside Shipping may know of it (a withdrawn shipment never existed for them). */
  get isVisible(): boolean {
    return this.state.status !== 'WITHDRAWN';
  }

  snapshot(): ShipmentState {
    return this.state;
  }

  isOwnedBy(customerId: string): boolean {
    return this.state.customerId === customerId;
  }

  /**
   * A carrier took the parcel. Returns false when it is already shipped (or delivered) with this very tracking
   * number: a repeated command. Shipping it again with another carrier or number is CONFLICT, and a withdrawn
   * shipment (its order was cancelled) cannot ship.
   */
  ship(tracking: Tracking, address: Address, now: Date): boolean {
    const checked = checkedTracking(tracking);
    const { status } = this.state;
    if (status === 'SHIPPED' || status === 'DELIVERED') {
      const current = this.state.tracking;
      if (current && sameTracking(current, checked)) return false;
      throw new ConflictError(
        `order ${this.state.orderId} was shipped already with ${current?.carrier ?? 'another carrier'} ${current?.trackingNumber ?? ''}`.trimEnd(),
        { orderId: this.state.orderId, status, carrier: current?.carrier, trackingNumber: current?.trackingNumber },
      );
    }
    if (status === 'WITHDRAWN') throw this.withdrawnError('shipped');
    this.state = { ...this.state, status: 'SHIPPED', tracking: checked, address: address.toJSON(), shippedAt: now, updatedAt: now };
    this.emit('shipment.shipped', now);
    return true;
  }

  /** The carrier delivered the parcel. Returns false when it is delivered already; a READY shipment is CONFLICT. */
  deliver(now: Date): boolean {
    const { status } = this.state;
    if (status === 'DELIVERED') return false;
    if (status === 'WITHDRAWN') throw this.withdrawnError('delivered');
    if (status === 'READY') {
      throw new ConflictError(`the shipment of order ${this.state.orderId} is READY: it must be shipped before it can be delivered`, {
        orderId: this.state.orderId,
        status,
      });
    }
    this.state = { ...this.state, status: 'DELIVERED', deliveredAt: now, updatedAt: now };
    this.emit('shipment.delivered', now);
    return true;
  }

  /**
   * The order was cancelled. A READY shipment is withdrawn (returns true); one withdrawn already, or one that left
   * (SHIPPED, DELIVERED: too late to withdraw, the parcel is with the carrier), is left as it is (false).
   */
  withdraw(now: Date): boolean {
    if (this.state.status !== 'READY') return false;
    this.state = { ...this.state, status: 'WITHDRAWN', updatedAt: now };
    return true;
  }

  /** Called by the repository once the change is stored: the shipment is now at the version it wrote. */
  markStored(): void {
    this.state = { ...this.state, version: this.state.version + 1 };
  }

  private withdrawnError(action: string): ConflictError {
    return new ConflictError(`order ${this.state.orderId} was cancelled and its shipment withdrawn: it cannot be ${action}`, {
      orderId: this.state.orderId,
      status: this.state.status,
    });
  }

  private emit(type: ShipmentEvent['type'], now: Date): void {
    const { tracking } = this.state;
    this.record({
      type,
      occurredAt: now.toISOString(),
      data: {
        orderId: this.state.orderId,
        shipmentId: this.state.id,
        customerId: this.state.customerId,
        ...(tracking ? { carrier: tracking.carrier, trackingNumber: tracking.trackingNumber } : {}),
        ...(tracking?.trackingUrl ? { trackingUrl: tracking.trackingUrl } : {}),
        at: now.toISOString(),
      },
    });
  }
}
