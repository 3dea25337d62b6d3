import { createHmac } from 'node:crypto';
import type { Identity } from './identity';

/**
 * Commands and reads one context sends another directly, outside the gateway (Orders -> Catalog stock holds,
 * Payments -> Orders' order reads, Orders -> Payments capture). They carry the signed request headers of
 * signed-request.ts for the calling service, keyed with a secret derived from GATEWAY_SIGNING_SECRET for this
 * purpose alone: headers the gateway signs for a client never verify on an internal route, and internal headers
 * never verify on /graphql (NIST SP 800-108 style key separation).
 */
export const SERVICE_NAMES = ['catalog', 'orders', 'payments', 'shipping', 'notifications'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The role every service identity carries; no client token can name it, since clients never sign with the internal key. */
export const SERVICE_ROLE = 'service';

/** A service's identity on internal routes: `service:<name>` with the service role. */
export function serviceIdentity(name: ServiceName): Identity {
  return { sub: `service:${name}`, roles: [SERVICE_ROLE] };
}

/** The service an identity verified on an internal route stands for, or undefined when it is no service. */
export function serviceNameOf(identity: Identity): ServiceName | undefined {
  if (!identity.roles.includes(SERVICE_ROLE) || !identity.sub.startsWith('service:')) return undefined;
  const name = identity.sub.slice('service:'.length);
  return (SERVICE_NAMES as readonly string[]).includes(name) ? (name as ServiceName) : undefined;
}

export const ORDERS_SERVICE: Identity = serviceIdentity('orders');

/** Notifications reads orders (`GET /internal/orders/:id` on Orders) to address and fill its emails. */
export const NOTIFICATIONS_SERVICE: Identity = serviceIdentity('notifications');

export function internalCommandKey(gatewaySigningSecret: string): string {
  return createHmac('sha256', gatewaySigningSecret).update('ecommerce internal commands v1').digest('base64url');
}
