import { createHash } from 'node:crypto';
import { ConflictError, describeValue, guard } from '../../../lib/ddd';
import type { Contact, Order } from '../domain/order';
import type { IdempotencyClaim } from '../domain/order-repository';
import type { OrdersDependencies } from './orders-dependencies';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** How long a key names its order unless IDEMPOTENCY_KEY_TTL_SECONDS says otherwise: a day covers any client retry. */
export const DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS = 86_400;

/** The normalised lines of a placeOrder request (merged per product), in product order. */
function sortedLines(lines: readonly { productId: string; quantity: number }[]): [string, number][] {
  return [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0)).map((line) => [line.productId, line.quantity]);
}

/**
 * What a placeOrder request asks for, as a digest: the customer, the normalised lines (merged per product, sorted)
 * and the checked contact details (address and email as stored), so the same request sent again matches whatever
 * order its lines came in and however its address was typed, and any other cart, address or email does not.
 */
export function placeOrderFingerprint(customerId: string, lines: readonly { productId: string; quantity: number }[], contact: Contact): string {
  const address = contact.shippingAddress?.toJSON() ?? null;
  return digest(['placeOrder/v2', customerId, sortedLines(lines), address, contact.email ?? null]);
}

/** The digest keys were bound to before the contact details were part of it: the lines only. */
function linesOnlyFingerprint(customerId: string, lines: readonly { productId: string; quantity: number }[]): string {
  return digest(['placeOrder/v1', customerId, sortedLines(lines)]);
}

function digest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** The claim a keyed placeOrder makes: its key, bound to the request's fingerprint, until it expires. */
export function idempotencyClaim(
  deps: Pick<OrdersDependencies, 'clock' | 'idempotencyKeyTtlSeconds'>,
  customerId: string,
  key: string | null | undefined,
  request: { readonly lines: readonly { productId: string; quantity: number }[]; readonly contact: Contact },
): IdempotencyClaim | undefined {
  if (key == null) return undefined;
  guard.pattern('idempotencyKey', key, IDEMPOTENCY_KEY, '1-128 visible ASCII characters');
  const now = deps.clock.now();
  const ttlSeconds = deps.idempotencyKeyTtlSeconds ?? DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS;
  return {
    customerId,
    key,
    fingerprint: placeOrderFingerprint(customerId, request.lines, request.contact),
    linesOnlyFingerprint: linesOnlyFingerprint(customerId, request.lines),
    now,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
  };
}

/** What an earlier request with the same key left: its order, or, when the key has expired, the order it named. */
export interface PreviousPlacement {
  readonly order: Order | null;
  /** The order an expired claim of this key named: a new placement must not reuse its id (see orderIdFor). */
  readonly supersedes: string | undefined;
}

/**
 * The order an earlier request with this key placed, when the key is still live: null when unused or expired
 * (DynamoDB's TTL deletes expired rows up to 48 hours late, so expiry is checked here, not left to it).
 * CONFLICT when the key was used for another request: silently answering with that order would tell the client
 * its new cart was placed.
 */
export async function previousPlacement(deps: Pick<OrdersDependencies, 'orders'>, claim: IdempotencyClaim): Promise<PreviousPlacement> {
  const record = await deps.orders.findIdempotencyKey(claim.customerId, claim.key);
  if (!record) return { order: null, supersedes: undefined };
  if (record.expiresAt !== undefined && record.expiresAt.getTime() <= claim.now.getTime()) return { order: null, supersedes: record.orderId };
  // Keys claimed before fingerprints were recorded match any request, as they always did; keys claimed before the
  // contact details were part of the fingerprint (live for IDEMPOTENCY_KEY_TTL_SECONDS at most) match on the lines.
  if (record.fingerprint !== undefined && record.fingerprint !== claim.fingerprint && record.fingerprint !== claim.linesOnlyFingerprint) {
    throw new ConflictError(
      `idempotency key ${describeValue(claim.key)} was already used for a different order (other products, quantities, shipping address or email); use a new key for a new order`,
      { field: 'idempotencyKey', value: claim.key, orderId: record.orderId },
    );
  }
  return { order: await deps.orders.findById(record.orderId), supersedes: undefined };
}
