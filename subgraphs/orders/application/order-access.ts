import { isAdmin, requireAuthenticated, type Caller } from '../../../lib/auth';
import { ForbiddenError, NotFoundError, describeValue } from '../../../lib/ddd';
import type { Order } from '../domain/order';
import type { OrdersDependencies } from './orders-dependencies';

/** docs/architecture.md §2: an order is visible to its owner and to admins; anyone else is FORBIDDEN. */
export function assertCanSee(caller: Caller, order: Order, action = 'see'): void {
  const identity = requireAuthenticated(caller, `${action} an order`);
  if (!order.isOwnedBy(identity.sub) && !isAdmin(identity)) {
    throw new ForbiddenError(`order ${order.id} belongs to another customer`, { orderId: order.id });
  }
}

/** The order a command targets; an unknown id is NOT_FOUND. */
export async function loadOrder(deps: Pick<OrdersDependencies, 'orders'>, id: string): Promise<Order> {
  const order = await deps.orders.findById(id);
  if (!order) throw new NotFoundError(`no order with id ${describeValue(id)}`, { field: 'id', value: id });
  return order;
}
