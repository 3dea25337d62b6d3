import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { RunningSystem } from '../../scripts/system';
import { createProduct, initialisedSocket, multipartSubscribe, placeOrder } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * A subscription lives no longer than the token that opened it: at `exp` a graphql-ws connection is closed with
 * 4403 "Token expired" (the client reconnects with a fresh token), and a multipart stream gets a final part with an
 * UNAUTHENTICATED error, then its closing delimiter.
 */

/**
 * The test tokens' lifetime: `exp` has whole seconds, so it leaves between 3 and 4 s to open the subscription, long
 * enough on a loaded machine for the subscription to be accepted before the token expires.
 */
const TOKEN_TTL_SECONDS = 4;
const WATCH = 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status } }';
let system: RunningSystem;
let orderId: string;

beforeAll(async () => {
  system = await startTestSystem('subs-token-expiry');
  const admin = await tokenFor('admin-1', { admin: true });
  const productId = await createProduct(system.urls.gateway, admin, { name: 'Hourglass', amount: 900 });
  orderId = await placeOrder(system.urls.gateway, await tokenFor('expiring-customer'), [{ productId, quantity: 1 }]);
});
afterAll(() => system?.stop());

describe('when the caller token expires', () => {
  it('closes a graphql-ws connection with 4403 at exp', async () => {
    const token = await tokenFor('expiring-customer', { ttlSeconds: TOKEN_TTL_SECONDS });
    const expiresAt = decodeJwt(token).exp! * 1000;
    const raw = await initialisedSocket(system.urls.gateway, token);
    raw.send({ id: 'w', type: 'subscribe', payload: { query: WATCH, variables: { id: orderId } } });
    await waitFor('the subscription to be listening', () => system.gateway.feed.stats().listeners === 1);
    const closed = await raw.closed;
    expect(closed).toEqual({ code: 4403, reason: 'Token expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    await waitFor('the listener to be released', () => system.gateway.feed.stats().listeners === 0);
  });

  it('ends a multipart subscription with a final UNAUTHENTICATED part', async () => {
    const token = await tokenFor('expiring-customer', { ttlSeconds: TOKEN_TTL_SECONDS });
    const expiresAt = decodeJwt(token).exp! * 1000;
    const stream = await multipartSubscribe(system.urls.gateway, token, WATCH, { id: orderId });
    expect(stream.status).toBe(200);
    await stream.ended;
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(stream.parts.filter((part) => 'payload' in part)).toEqual([
      { payload: null, errors: [{ message: 'the token has expired: subscribe again with a fresh one', extensions: { code: 'UNAUTHENTICATED' } }] },
    ]);
    await waitFor('the listener to be released', () => system.gateway.feed.stats().listeners === 0);
  });
});
