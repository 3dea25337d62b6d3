import { AppError, ErrorCode } from '../../../lib/ddd';
import type { Logger } from '../../../lib/logging';
import type { CatalogDependencies } from '../application/catalog-dependencies';
import { holdStock, type HoldStockRequest } from '../application/hold-stock';
import { abandonHold } from '../application/stock-hold-lifecycle';
import type { StockHold } from '../domain/stock-hold';
import type { SignedRequestTarget } from '../../../lib/auth';
import type { InternalHeaders } from './verify-internal-command';

export interface InternalRequest {
  readonly method: string;
  /** The path alone, for routing. */
  readonly path: string;
  /** The request target as sent (path and query string), which the caller's signature covers. */
  readonly target: string;
  readonly headers: InternalHeaders;
  /** The body's exact bytes, which the caller's signature covers. */
  readonly rawBody: string | Uint8Array | undefined;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  readonly body: unknown;
}

export interface InternalResponse {
  readonly status: number;
  readonly body: unknown;
}

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

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.PRODUCT_UNAVAILABLE]: 409,
};

/**
 * Catalog's internal stock-holds command API, framework-neutral so the local server and the Lambda handler serve
 * the same answers. Only the Orders service may call it (verifyCaller):
 *   POST /internal/stock-holds                      hold stock for an order: { orderId, customerId, lines }
 *   POST /internal/stock-holds/:orderId/release     give back the units of an order that was never written
 *   GET  /internal/stock-holds/:orderId             the hold, for operators and retries
 * Errors are `{ error: { code, message, details } }` with the contract's codes.
 */
export function createStockHoldsApi(
  deps: CatalogDependencies,
  verifyCaller: (headers: InternalHeaders, target: SignedRequestTarget) => void,
  logger: Logger,
) {
  async function route(req: InternalRequest): Promise<InternalResponse> {
    verifyCaller(req.headers, { method: req.method, path: req.target, body: req.rawBody });
    const path = req.path.replace(/\/+$/, '');
    if (path === '/internal/stock-holds' && req.method === 'POST') {
      const hold = await holdStock(deps, holdRequest(req.body));
      return { status: 200, body: representHold(hold) };
    }
    const release = /^\/internal\/stock-holds\/([^/]+)\/release$/.exec(path);
    if (release?.[1] && req.method === 'POST') {
      const orderId = decodeURIComponent(release[1]);
      await abandonHold(deps, orderId);
      const hold = await deps.holds.findByOrderId(orderId);
      return { status: 200, body: hold ? representHold(hold) : null };
    }
    const one = /^\/internal\/stock-holds\/([^/]+)$/.exec(path);
    if (one?.[1] && req.method === 'GET') {
      const hold = await deps.holds.findByOrderId(decodeURIComponent(one[1]));
      if (!hold) return failure(404, ErrorCode.NOT_FOUND, `no stock is held for order ${JSON.stringify(one[1])}`);
      return { status: 200, body: representHold(hold) };
    }
    return failure(404, ErrorCode.NOT_FOUND, `no internal route ${req.method} ${path.slice(0, 100)}`);
  }

  return async function handle(req: InternalRequest): Promise<InternalResponse> {
    try {
      return await route(req);
    } catch (error) {
      if (error instanceof AppError) return failure(STATUS_OF[error.code] ?? 500, error.code, error.message, error.details);
      if (error instanceof URIError) return failure(400, ErrorCode.BAD_USER_INPUT, 'the order id in the path is not a valid escape');
      logger.error({ err: error }, 'internal stock-holds command failed');
      return failure(500, ErrorCode.INTERNAL_SERVER_ERROR, 'the stock-holds command failed; try again');
    }
  };
}

export type StockHoldsApi = ReturnType<typeof createStockHoldsApi>;

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

function failure(status: number, code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>): InternalResponse {
  return { status, body: { error: { code, message, ...(details ? { details } : {}) } } };
}
