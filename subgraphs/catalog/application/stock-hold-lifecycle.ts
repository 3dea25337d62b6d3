import { NotFoundError } from '../../../lib/ddd';
import type { StockHold } from '../domain/stock-hold';
import type { CausingEvent } from '../domain/stock-hold-repository';
import type { CatalogDependencies } from './catalog-dependencies';

type Deps = Pick<CatalogDependencies, 'holds' | 'clock'>;

export type HoldOutcome = 'applied' | 'unchanged' | 'no-hold' | 'duplicate';

/** A hold's status changes at most a couple of times, so a lost race (the hold changed meanwhile) is read again. */
const RACE_ATTEMPTS = 5;

/**
 * Loads the order's hold, applies `change` and stores it with its effect on the products (and, for an event,
 * the event's processed mark) in one transaction. An order placed before holds existed has none: nothing to do.
 */
async function changeHold(deps: Deps, orderId: string, change: (hold: StockHold) => boolean, causedBy?: CausingEvent): Promise<HoldOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const hold = await deps.holds.findByOrderId(orderId);
    if (!hold) return 'no-hold';
    if (!change(hold)) return 'unchanged';
    const saved = await deps.holds.save(hold, causedBy);
    if (saved === 'saved') return 'applied';
    if (saved === 'duplicate') return 'duplicate';
    if (attempt >= RACE_ATTEMPTS) throw new Error(`the stock hold of order ${orderId} kept changing; the event will be redelivered`);
  }
}

/** On `order.created`: the order exists and claims its hold, which the expiry sweep then never releases. */
export function claimHold(deps: Deps, orderId: string, causedBy: CausingEvent): Promise<HoldOutcome> {
  return changeHold(deps, orderId, (hold) => hold.claim(deps.clock.now()), causedBy);
}

/** On `order.cancelled`: the held units go back to the available quantity. */
export function releaseHeldStock(deps: Deps, orderId: string, causedBy: CausingEvent): Promise<HoldOutcome> {
  return changeHold(deps, orderId, (hold) => hold.release('cancelled', deps.clock.now()), causedBy);
}

/** On `order.completed`: the held units are sold and stay taken. */
export function sellHeldStock(deps: Deps, orderId: string, causedBy: CausingEvent): Promise<HoldOutcome> {
  return changeHold(deps, orderId, (hold) => hold.sell(deps.clock.now()), causedBy);
}

/**
 * Internal command from Orders: placing the order failed after the hold (the order was not written), so its units
 * go back now rather than when the hold expires. Only an unclaimed hold can be abandoned (CONFLICT otherwise).
 */
export async function abandonHold(deps: Deps, orderId: string): Promise<HoldOutcome> {
  const outcome = await changeHold(deps, orderId, (hold) => hold.release('abandoned', deps.clock.now()));
  if (outcome === 'no-hold') throw new NotFoundError(`no stock is held for order "${orderId}"`, { orderId });
  return outcome;
}

/**
 * The expiry sweep: releases holds no order claimed within their time to live (Orders died between holding and
 * writing the order). Only HELD holds are listed and the release is conditional on HELD, so a hold claimed in
 * between is never touched. Returns how many it released.
 */
export async function expireUnclaimedHolds(deps: Deps, options: { batchSize?: number; maxBatches?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 25;
  let released = 0;
  for (let batch = 0; batch < (options.maxBatches ?? 40); batch += 1) {
    const expired = await deps.holds.listExpired(deps.clock.now(), batchSize);
    for (const hold of expired) {
      if (!hold.expire(deps.clock.now())) continue;
      if ((await deps.holds.save(hold)) === 'saved') released += 1;
    }
    if (expired.length < batchSize) break;
  }
  return released;
}
