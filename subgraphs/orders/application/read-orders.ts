import { isAdmin, requireAdmin, requireAuthenticated, type Caller } from '../../../lib/auth';
import { ForbiddenError, pageRequest, type Page } from '../../../lib/ddd';
import type { Order } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';
import { assertCanSee } from './order-access';
import type { OrdersDependencies } from './orders-dependencies';

type Deps = Pick<OrdersDependencies, 'orders'>;

/** Owner or admin: one order, or null when there is none. */
export async function getOrder(deps: Deps, caller: Caller, id: string): Promise<Order | null> {
  requireAuthenticated(caller, 'see an order');
  const order = await deps.orders.findById(id);
  if (order) assertCanSee(caller, order);
  return order;
}

/** Orders for `ids` in the same order (null where unknown), each checked for access: DataLoader-shaped. */
export async function getOrders(deps: Deps, caller: Caller, ids: readonly string[]): Promise<(Order | Error | null)[]> {
  const found = await deps.orders.findByIds(ids);
  const byId = new Map(found.map((order) => [order.id, order]));
  return ids.map((id) => {
    const order = byId.get(id);
    if (!order) return null;
    try {
      assertCanSee(caller, order);
      return order;
    } catch (error) {
      return error as Error;
    }
  });
}

/** The customer themself or an admin: that customer's orders, newest first, optionally of one status. */
export async function listCustomerOrders(
  deps: Deps,
  caller: Caller,
  customerId: string,
  args: { first?: number | null; after?: string | null; status?: OrderStatus | null },
): Promise<Page<Order>> {
  const identity = requireAuthenticated(caller, "list a customer's orders");
  if (identity.sub !== customerId && !isAdmin(identity)) {
    throw new ForbiddenError(`the orders of customer ${customerId} are not yours to see`, { customerId });
  }
  return deps.orders.listByCustomer(customerId, { ...pageRequest(args.first, args.after), status: args.status ?? undefined });
}

/** Admin only: every order, newest first, optionally of one status (what an operator confirms or completes). */
export async function listAllOrders(
  deps: Deps,
  caller: Caller,
  args: { first?: number | null; after?: string | null; status?: OrderStatus | null },
): Promise<Page<Order>> {
  requireAdmin(caller, 'list all orders');
  return deps.orders.list({ ...pageRequest(args.first, args.after), status: args.status ?? undefined });
}
