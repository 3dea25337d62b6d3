import type { InternalRoute } from '../../../lib/internal-api';
import { loadOrder } from '../application/order-access';
import type { OrdersDependencies } from '../application/orders-dependencies';
import type { Order } from '../domain/order';

/**
 * Orders' published representation of an order for other contexts (docs/architecture.md §3, "Internal APIs"): what
 * Payments checks before it takes a payment (owner, PENDING, total) and what Notifications (the contact email, the
 * address) and Shipping read. Fields are added, never renamed or dropped.
 */
export function representOrder(order: Order) {
  const state = order.snapshot();
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    version: order.version,
    total: order.total.toJSON(),
    items: order.items.map((item) => ({
      productId: item.productId,
      productName: item.productName,
      unitPrice: item.unitPrice.toJSON(),
      quantity: item.quantity,
      lineTotal: item.lineTotal.toJSON(),
    })),
    placedAt: order.placedAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    ...(state.paymentDueAt ? { paymentDueAt: state.paymentDueAt.toISOString() } : {}),
    ...(state.cancellationReason !== undefined ? { cancellationReason: state.cancellationReason } : {}),
    ...(state.email !== undefined ? { email: state.email } : {}),
    ...(state.shippingAddress ? { shippingAddress: state.shippingAddress.toJSON() } : {}),
  };
}

/**
 * Orders' internal API (lib/internal-api: signed service identities only):
 *   GET /internal/orders/:id    the order (NOT_FOUND when there is none); callers: payments, notifications, shipping
 */
export function ordersInternalRoutes(deps: Pick<OrdersDependencies, 'orders'>): InternalRoute[] {
  return [
    {
      method: 'GET',
      path: '/internal/orders/:id',
      callers: ['payments', 'notifications', 'shipping'],
      handle: async ({ params }) => representOrder(await loadOrder(deps, params['id']!)),
    },
  ];
}
