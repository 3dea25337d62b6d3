import { LimitExceededError } from '../../../lib/ddd';

/**
 * Anti-hoarding caps on one customer's unpaid (PENDING) orders (docs/architecture.md §4, "The checkout saga"):
 * without them one customer can hold every unit of stock for as long as they like. Admins are not capped.
 */
export interface CustomerLimitsPolicy {
  /** MAX_PENDING_ORDERS_PER_CUSTOMER. */
  readonly maxPendingOrders: number;
  /** MAX_HELD_UNITS_PER_CUSTOMER, over all the customer's PENDING orders. */
  readonly maxHeldUnits: number;
}

/** What a customer's PENDING orders take now: how many, and how many units they hold. */
export interface LimitUsage {
  readonly pendingOrders: number;
  readonly heldUnits: number;
}

/**
 * The cap a new order of `units` units would pass, as the error the customer gets (details: { limit, max, value },
 * value being what the figure would become), or undefined when it fits. Orders first: more unpaid orders is the
 * plainer thing to fix.
 */
export function limitExceeded(policy: CustomerLimitsPolicy, usage: LimitUsage, units: number): LimitExceededError | undefined {
  if (usage.pendingOrders + 1 > policy.maxPendingOrders) {
    return new LimitExceededError(
      `you have ${usage.pendingOrders} unpaid orders, and a customer may have at most ${policy.maxPendingOrders} (MAX_PENDING_ORDERS_PER_CUSTOMER): pay for or cancel one first`,
      { limit: 'MAX_PENDING_ORDERS_PER_CUSTOMER', max: policy.maxPendingOrders, value: usage.pendingOrders + 1 },
    );
  }
  if (usage.heldUnits + units > policy.maxHeldUnits) {
    return new LimitExceededError(
      `this order would bring the units held by your unpaid orders to ${usage.heldUnits + units}, and a customer may hold at most ${policy.maxHeldUnits} (MAX_HELD_UNITS_PER_CUSTOMER): pay for or cancel an order, or order fewer units`,
      { limit: 'MAX_HELD_UNITS_PER_CUSTOMER', max: policy.maxHeldUnits, value: usage.heldUnits + units },
    );
  }
  return undefined;
}

/** The units an order holds: the sum of its lines' quantities. */
export function unitsOf(lines: readonly { readonly quantity: number }[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}
