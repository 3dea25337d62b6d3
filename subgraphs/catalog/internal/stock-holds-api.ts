import { NotFoundError, describeValue } from '../../../lib/ddd';
import type { InternalRoute } from '../../../lib/internal-api';
import type { CatalogDependencies } from '../application/catalog-dependencies';
import { holdStock, type HoldStockRequest } from '../application/hold-stock';
import { abandonHold } from '../application/stock-hold-lifecycle';
import type { StockHold } from '../domain/stock-hold';

/** Catalog's published representation of a hold: what Orders' stock client translates from. */
export function representHold(hold: StockHold) {
  return {
    orderId: hold.orderId,
    customerId: hold.customerId,
    status: hold.status,
    lines: hold.lines.map((line) => ({ productId: line.productId, quantity: line.quantity, productName: line.productName, unitPrice: line.unitPrice })),
    heldAt: hold.heldAt.toISOString(),
    expiresAt: hold.expiresAt.toISOString(),
  };
}

/**
 * Catalog's internal stock-holds commands (lib/internal-api: signed service identity, served alike by the local
 * server and the Lambda handler). Only the Orders service may call them:
 *   POST /internal/stock-holds                      hold stock for an order: { orderId, customerId, lines }
 *   POST /internal/stock-holds/:orderId/release     give back the units of an order that was never written
 *   GET  /internal/stock-holds/:orderId             the hold, for operators and retries
 */
export function stockHoldsRoutes(deps: CatalogDependencies): InternalRoute[] {
  return [
    {
      method: 'POST',
      path: '/internal/stock-holds',
      callers: ['orders'],
      handle: async ({ body }) => representHold(await holdStock(deps, holdRequest(body))),
    },
    {
      method: 'POST',
      path: '/internal/stock-holds/:orderId/release',
      callers: ['orders'],
      handle: async ({ params }) => {
        await abandonHold(deps, params['orderId']!);
        const hold = await deps.holds.findByOrderId(params['orderId']!);
        return hold ? representHold(hold) : null;
      },
    },
    {
      method: 'GET',
      path: '/internal/stock-holds/:orderId',
      callers: ['orders'],
      handle: async ({ params }) => {
        const hold = await deps.holds.findByOrderId(params['orderId']!);
        if (!hold) throw new NotFoundError(`no stock is held for order ${describeValue(params['orderId'])}`, { orderId: params['orderId'] });
        return representHold(hold);
      },
    },
  ];
}

/** The body as a hold request; holdStock validates every field and names the one that is wrong. */
function holdRequest(body: unknown): HoldStockRequest {
  const candidate = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const lines = Array.isArray(candidate['lines']) ? (candidate['lines'] as unknown[]) : [];
  return {
    orderId: typeof candidate['orderId'] === 'string' ? candidate['orderId'] : '',
    customerId: typeof candidate['customerId'] === 'string' ? candidate['customerId'] : '',
    lines: lines.map((line) => {
      const entry = (typeof line === 'object' && line !== null ? line : {}) as Record<string, unknown>;
      return { productId: typeof entry['productId'] === 'string' ? entry['productId'] : '', quantity: typeof entry['quantity'] === 'number' ? entry['quantity'] : Number.NaN };
    }),
  };
}
