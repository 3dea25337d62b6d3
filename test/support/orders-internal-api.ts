import { NOTIFICATIONS_SERVICE, internalCommandKey, verifyRequest } from '../../lib/auth';
import { listen, type RunningServer } from '../../lib/http';

/** An order as Orders' internal API answers it (`GET /internal/orders/:id`, the shape the checkout design fixes). */
export interface InternalOrderView {
  readonly id: string;
  readonly customerId: string;
  readonly status: 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED';
  readonly version: number;
  readonly total: { amount: number; currency: string };
  readonly items: readonly { productId: string; productName: string; unitPrice: { amount: number; currency: string }; quantity: number; lineTotal: { amount: number; currency: string } }[];
  readonly placedAt: string;
  readonly updatedAt: string;
  readonly paymentDueAt?: string;
  readonly cancellationReason?: string;
  readonly email?: string;
  readonly shippingAddress?: { name: string; line1: string; line2?: string; city: string; region?: string; postalCode: string; country: string };
}

export interface OrdersInternalApi {
  readonly url: string;
  readonly orders: Map<string, InternalOrderView>;
  /** Each request as it arrived: the path, and what its signature verified as. */
  readonly requests: { path: string; caller: string }[];
  /** While set, every request is answered with this status (an Orders outage). */
  failWith: number | undefined;
  close(): Promise<void>;
}

/**
 * A real HTTP server on port 0 speaking Orders' internal order route the way Orders serves it: the caller must
 * be the Notifications service identity signed with the internal command key over this very request
 * (lib/auth/signed-request.ts), else 401/403 with the contract's error body; an unknown order is a 404.
 */
export async function startOrdersInternalApi(signingSecret: string, windowSeconds = 5): Promise<OrdersInternalApi> {
  const key = internalCommandKey(signingSecret);
  const orders = new Map<string, InternalOrderView>();
  const requests: { path: string; caller: string }[] = [];
  const api = { failWith: undefined as number | undefined };
  const server: RunningServer = await listen((req, res) => {
    const path = req.url ?? '';
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const verification = verifyRequest(req.headers, { method: req.method ?? 'GET', path, body: '' }, key, { windowSeconds });
    const caller = verification.status === 'verified' ? verification.identity.sub : verification.status;
    requests.push({ path, caller });
    if (api.failWith !== undefined) return reply(api.failWith, { error: { code: 'SERVICE_UNAVAILABLE', message: 'Orders is unavailable' } });
    if (verification.status !== 'verified') return reply(401, { error: { code: 'UNAUTHENTICATED', message: 'internal routes need a signed service identity' } });
    if (verification.identity.sub !== NOTIFICATIONS_SERVICE.sub) return reply(403, { error: { code: 'FORBIDDEN', message: `${verification.identity.sub} may not read orders` } });
    const match = /^\/internal\/orders\/([^/?]+)$/.exec(path);
    if (req.method !== 'GET' || !match) return reply(404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${path}` } });
    const order = orders.get(decodeURIComponent(match[1]!));
    if (!order) return reply(404, { error: { code: 'NOT_FOUND', message: `order ${match[1]} not found` } });
    return reply(200, order);
  }, 0);
  return Object.assign(api, { url: server.url, orders, requests, close: () => server.close() });
}
