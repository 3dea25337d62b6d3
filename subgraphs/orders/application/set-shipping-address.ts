import { requireAuthenticated, type Caller } from '../../../lib/auth';
import { ForbiddenError, withOptimisticRetry, type AddressInput } from '../../../lib/ddd';
import { checkContact, type Order } from '../domain/order';
import { loadOrder } from './order-access';
import type { OrdersDependencies } from './orders-dependencies';

/**
 * The order's owner gives (or corrects) its shipping address and contact email, while it is PENDING or CONFIRMED:
 * what an order placed by an older client needs before it can ship. Both are checked before anything is read
 * (BAD_USER_INPUT naming `address.<field>` or `email`).
 */
export async function setShippingAddress(
  deps: Pick<OrdersDependencies, 'orders'>,
  caller: Caller,
  orderId: string,
  input: { readonly address: AddressInput; readonly email: string },
): Promise<Order> {
  const identity = requireAuthenticated(caller, 'set a shipping address');
  const contact = checkContact({ shippingAddress: input.address, email: input.email }, { address: 'address', email: 'email' });
  return withOptimisticRetry(async () => {
    const order = await loadOrder(deps, orderId);
    if (!order.isOwnedBy(identity.sub)) {
      throw new ForbiddenError(`order ${order.id} belongs to another customer; only its owner sets where it goes`, { orderId: order.id });
    }
    order.setContact({ shippingAddress: contact.shippingAddress!, email: contact.email! });
    await deps.orders.save(order);
    return order;
  });
}
