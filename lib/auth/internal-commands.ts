import { createHmac } from 'node:crypto';
import type { Identity } from './identity';

/**
 * Commands one context sends another directly (Orders -> Catalog stock holds), outside the gateway. They carry
 * the signed request headers of signed-request.ts for this caller, keyed with a secret derived from
 * GATEWAY_SIGNING_SECRET for this purpose alone: headers the gateway signs for a client never verify on an
 * internal route, and internal headers never verify on /graphql (NIST SP 800-108 style key separation).
 */
export const ORDERS_SERVICE: Identity = { sub: 'service:orders', roles: ['stock-holds'] };

/** Notifications reads orders (`GET /internal/orders/:id` on Orders) to address and fill its emails. */
export const NOTIFICATIONS_SERVICE: Identity = { sub: 'service:notifications', roles: ['orders-read'] };

export function internalCommandKey(gatewaySigningSecret: string): string {
  return createHmac('sha256', gatewaySigningSecret).update('ecommerce internal commands v1').digest('base64url');
}
