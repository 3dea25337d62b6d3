import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signDevToken } from '../../lib/auth';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import {
  CreatedOrders,
  Recorded,
  WATCH_ORDER,
  createProduct,
  heldBy,
  initialisedSocket,
  multipartSubscribe,
  placeOrder,
  rawSocket,
  updatesOf,
  wsClient,
} from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { TEST_JWT_SECRET, startTestSystem, tokenFor } from '../support/system';

/**
 * Who may subscribe: a connection needs a valid token (in `connection_init` or the HTTP Authorization header),
 * and each subscription is checked on its own: only the order's owner or an admin, others get FORBIDDEN for that
 * subscription while their connection stays usable.
 */

let system: RunningSystem;
let url: string;
let admin: string;
let owner: string;
let stranger: string;
let ownOrder: string;
let strangersOrder: string;

beforeAll(async () => {
  system = await startTestSystem('subs-auth', { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  url = system.urls.gateway;
  const created = await CreatedOrders.start(system);
  admin = await tokenFor('admin-1', { admin: true });
  owner = await tokenFor('customer-auth-owner');
  stranger = await tokenFor('customer-auth-stranger');
  const productId = await createProduct(url, admin, { name: 'Reading Glasses', amount: 1_999 });
  ownOrder = await placeOrder(url, owner, [{ productId, quantity: 1 }]);
  strangersOrder = await placeOrder(url, stranger, [{ productId, quantity: 1 }]);
  await created.settle([ownOrder, strangersOrder]);
});
afterAll(() => system?.stop());

const subscribeMessage = (id: string, orderId: string) => ({
  id,
  type: 'subscribe',
  payload: { query: 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status order { id } } }', variables: { id: orderId } },
});

/**
 * The error a query for the stranger's order gets over HTTP, placed on the subscription field: a subscription is
 * refused exactly as reading the order is. (Errors from the source stream come without `data`, GraphQL spec 6.2.3.)
 */
async function forbiddenError(column: number) {
  const query = await graphql(url, 'query ($id: ID!) { order(id: $id) { id } }', { id: strangersOrder }, { token: owner });
  const [error] = query.errors ?? [];
  expect(error).toEqual({
    message: `order ${strangersOrder} belongs to another customer`,
    path: ['order'],
    extensions: { code: 'FORBIDDEN', details: { orderId: strangersOrder }, serviceName: 'orders' },
  });
  return { ...error, locations: [{ line: 1, column }], path: ['orderStatusChanged'] };
}

describe('graphql-ws connections', () => {
  it.each([
    ['no token at all', {}],
    ['a malformed Authorization value', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a token that is not a JWT', { authorization: 'Bearer not-a-jwt' }],
  ])('are closed with 4401 for %s', async (_case, payload) => {
    const raw = await rawSocket(url);
    raw.send({ type: 'connection_init', payload });
    expect(await raw.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
    expect(raw.messages).toEqual([]);
  });

  it('are closed with 4401 for a forged or an expired token, and for one whose sub or roles headers could not carry', async () => {
    const forged = await signDevToken({ sub: 'customer-auth-owner', roles: ['admin'] }, 'some-other-secret-0123456789abcdef0123');
    const expired = await tokenFor('customer-auth-owner', { ttlSeconds: -60 });
    const controlCharacters = await signDevToken({ sub: 'customer-auth-owner\r\nx', roles: [] }, TEST_JWT_SECRET);
    const commaRole = await signDevToken({ sub: 'customer-auth-owner', roles: ['customer,admin'] }, TEST_JWT_SECRET);
    for (const token of [forged, expired, controlCharacters, commaRole]) {
      const raw = await rawSocket(url);
      raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
      expect(await raw.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
      expect(raw.messages).toEqual([]);
    }
  });

  it('refuse a bad token in connection_init even when the upgrade request carried a good one', async () => {
    const raw = await rawSocket(url, { headers: { authorization: `Bearer ${owner}` } });
    raw.send({ type: 'connection_init', payload: { authorization: 'Bearer not-a-jwt' } });
    expect((await raw.closed).code).toBe(4401);
  });

  it('report 4401 to a graphql-ws client as a close event, without retrying', async () => {
    const client = wsClient(url, 'not-a-jwt');
    const subscription = new Recorded(client, WATCH_ORDER, { id: ownOrder });
    await subscription.ended();
    expect((subscription.error as { code: number }).code).toBe(4401);
    expect(subscription.results).toEqual([]);
    await client.dispose();
  });

  it.each([
    ['connection_init { authorization }', (token: string) => ({ payload: { authorization: `Bearer ${token}` } })],
    ['connection_init { Authorization }', (token: string) => ({ payload: { Authorization: `Bearer ${token}` } })],
    ['the Authorization header of the upgrade request', (token: string) => ({ payload: {}, headers: { authorization: `Bearer ${token}` } })],
  ])('accept a valid token from %s', async (_case, place) => {
    const { payload, headers } = { headers: undefined, ...place(owner) } as { payload: Record<string, string>; headers?: Record<string, string> };
    const raw = await rawSocket(url, headers ? { headers } : {});
    raw.send({ type: 'connection_init', payload });
    expect(await raw.next((m) => m['type'] === 'connection_ack')).toEqual({ type: 'connection_ack' });
    await raw.close();
  });
});

describe('each subscription', () => {
  it("is FORBIDDEN on someone else's order, and the connection stays usable", async () => {
    const before = await heldBy(system.gateway);
    const raw = await initialisedSocket(url, owner);
    raw.send(subscribeMessage('theirs', strangersOrder));
    await raw.next((m) => m['id'] === 'theirs' && m['type'] === 'complete');
    expect(raw.messages.filter((m) => m['id'] === 'theirs')).toEqual([
      { id: 'theirs', type: 'next', payload: { errors: [await forbiddenError(27)] } },
      { id: 'theirs', type: 'complete' },
    ]);
    // Nothing is left watching the other customer's order.
    expect(system.gateway.feed.stats()).toEqual({ orders: before.orders, listeners: before.listeners });

    // Same socket, own order: subscribed and updated.
    raw.send(subscribeMessage('mine', ownOrder));
    await waitFor('the own subscription', () => system.gateway.feed.stats().listeners === before.listeners + 1);
    await graphql(url, 'mutation ($id: ID!) { confirmOrder(id: $id) { status } }', { id: ownOrder }, { token: admin });
    expect(await raw.next((m) => m['id'] === 'mine')).toEqual({
      id: 'mine',
      type: 'next',
      payload: { data: { orderStatusChanged: { status: 'CONFIRMED', order: { id: ownOrder } } } },
    });
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    await raw.close();
    await waitFor('the socket to be released', async () => JSON.stringify(await heldBy(system.gateway)) === JSON.stringify(before));
  });

  it('is allowed to an admin on any order', async () => {
    const client = wsClient(url, admin);
    const updates = new Recorded(client, WATCH_ORDER, { id: strangersOrder });
    await waitFor('the admin subscription', () => system.gateway.feed.stats().listeners === 1);
    await graphql(url, 'mutation ($id: ID!) { cancelOrder(id: $id) { status } }', { id: strangersOrder }, { token: stranger });
    const [update] = updatesOf(await updates.take(1));
    expect(update).toMatchObject({ status: 'CANCELLED', previousStatus: 'PENDING', order: { status: 'CANCELLED', total: { amount: 1_999 } } });
    await client.dispose();
  });
});

describe('multipart subscriptions', () => {
  it('answer 401 UNAUTHENTICATED without a token, and with a bad one', async () => {
    const expired = await tokenFor('customer-auth-owner', { ttlSeconds: -60 });
    const cases: [string | undefined, string][] = [
      [undefined, 'subscriptions need a signed-in caller: send Authorization: Bearer <token>'],
      ['not-a-jwt', 'invalid token: it is not a well-formed JWT'],
      [expired, 'invalid token: it has expired'],
      [
        await signDevToken({ sub: 'customer-auth-owner\u0000', roles: [] }, TEST_JWT_SECRET),
        'invalid token: the "sub" claim must be 1 to 200 visible ASCII characters (letters, digits, punctuation; no spaces or control characters)',
      ],
    ];
    for (const [token, message] of cases) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'multipart/mixed;subscriptionSpec="1.0", application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query: WATCH_ORDER, variables: { id: ownOrder } }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  });

  it("answer FORBIDDEN in the one part of a stream that then ends, for someone else's order", async () => {
    const listeners = system.gateway.feed.stats().listeners;
    const stream = await multipartSubscribe(url, owner, 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status } }', { id: strangersOrder });
    await stream.ended;
    expect(stream.status).toBe(200);
    expect(stream.isEnded()).toBe(true);
    expect(stream.parts).toEqual([{ payload: { errors: [await forbiddenError(27)] } }]);
    expect(system.gateway.feed.stats().listeners).toBe(listeners);
  });
});
