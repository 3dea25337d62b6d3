import { ConflictError } from '../../../lib/ddd';
import { limitExceeded, type CustomerLimitsPolicy, type LimitUsage } from '../domain/customer-limits';
import type { OrdersDependencies } from './orders-dependencies';

/** One order's share of its customer's caps: one unpaid order and its units, taken before its stock is held. */
export interface LimitReservation {
  readonly customerId: string;
  readonly orderId: string;
  readonly units: number;
  readonly at: Date;
}

export type ReserveResult = { readonly reserved: true } | { readonly reserved: false; readonly usage: LimitUsage };

/**
 * Port to the per-customer ledger of unpaid orders and held units. Exact under concurrency: `reserve` takes the
 * share only if the caps allow it, atomically, and at most once per order id (asking again answers reserved).
 * The order's creation claims its reservation in the same write, and the change that moves it out of PENDING
 * gives the share back in the same write (the order repository does both), so a crash between any two steps
 * leaves either an unclaimed reservation, which `reclaimAbandoned` gives back once no placement can still claim
 * it, or a claimed one that its order's next status change releases.
 */
export interface CustomerLimitsLedger {
  reserve(reservation: LimitReservation, policy: CustomerLimitsPolicy): Promise<ReserveResult>;
  /** Gives back an unclaimed reservation (the placement failed before writing its order); no-op otherwise. */
  cancel(customerId: string, orderId: string): Promise<void>;
  /** Gives back the customer's reservations made before `reservedBefore` that no order claimed; how many. */
  reclaimAbandoned(customerId: string, reservedBefore: Date): Promise<number>;
}

export interface CustomerLimits extends CustomerLimitsPolicy {
  readonly ledger: CustomerLimitsLedger;
  /**
   * How old an unclaimed reservation must be before it counts as abandoned: longer than any placement can run
   * (the request deadline, after which its writes are not committed), plus a margin for clocks.
   */
  readonly abandonedAfterMs: number;
}

/** Reservation attempts when the usage read back shows the caps were freed meanwhile (a race with a release). */
const ATTEMPTS = 3;

/**
 * Takes the order's share of its customer's caps before any stock is held, or refuses with LIMIT_EXCEEDED naming
 * the cap and the value. A refusal first gives back abandoned reservations (a placement that crashed between
 * reserving and writing its order) and tries once more, so such a crash never costs the customer their quota.
 */
export async function reserveWithinLimits(deps: Pick<OrdersDependencies, 'clock'> & { limits: CustomerLimits }, reservation: Omit<LimitReservation, 'at'>): Promise<void> {
  const { limits } = deps;
  const alone = limitExceeded(limits, { pendingOrders: 0, heldUnits: 0 }, reservation.units);
  if (alone) throw alone;
  let reclaimed = false;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const now = deps.clock.now();
    const result = await limits.ledger.reserve({ ...reservation, at: now }, limits);
    if (result.reserved) return;
    if (!reclaimed) {
      reclaimed = true;
      if ((await limits.ledger.reclaimAbandoned(reservation.customerId, new Date(now.getTime() - limits.abandonedAfterMs))) > 0) continue;
    }
    const refusal = limitExceeded(limits, result.usage, reservation.units);
    if (refusal) throw refusal;
  }
  throw new ConflictError('your unpaid orders changed while this order was being placed; try again', { orderId: reservation.orderId });
}

/**
 * The placement failed after reserving and before writing its order: the share goes back now. Best effort: if it
 * cannot be given back, it counts as abandoned later (reclaimAbandoned).
 */
export async function cancelAbandonedReservation(deps: { limits?: CustomerLimits | undefined; logger?: { warn(obj: object, msg: string): void } }, customerId: string, orderId: string): Promise<void> {
  try {
    await deps.limits?.ledger.cancel(customerId, orderId);
  } catch (error) {
    deps.logger?.warn({ err: error, orderId }, 'could not give back the caps share of an order that was not placed; it is reclaimed once abandoned');
  }
}
