import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import WebSocket from 'ws';
import { orderStatusChannelPrefix } from '../../gateway/subscriptions/create-feed';
import { createRedisClient } from '../../lib/redis';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { testRedisUrl } from '../support/services';
import {
  CreatedOrders,
  MULTIPART_ACCEPT,
  Recorded,
  WATCH_ORDER,
  changeStatus,
  createProduct,
  heldBy,
  initialisedSocket,
  multipartSubscribe,
  placeOrder,
  wsClient,
  wsUrlOf,
  type HeldResources,
} from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Limits and hygiene: at most 20 subscriptions per connection (configurable), keep-alive pings, and everything
 * released on disconnect: after 1,000 subscribe/disconnect cycles the gateway holds exactly what it held before
 * (feed listeners, watched orders, its Redis channel subscriptions, sockets).
 */

let system: RunningSystem;
let url: string;
let admin: string;
let customer: string;
let orders: string[];
let redis: Redis;

beforeAll(async () => {
  system = await startTestSystem('subs-limits', { env: { REDIS_URL: testRedisUrl() }, relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  url = system.urls.gateway;
  admin = await tokenFor('admin-1', { admin: true });
  customer = await tokenFor('customer-limits-1');
  const productId = await createProduct(url, admin, { name: 'Sticky Notes', amount: 300, stockQuantity: 10_000 });
  orders = [];
  const created = await CreatedOrders.start(system);
  for (let i = 0; i < 10; i += 1) orders.push(await placeOrder(url, customer, [{ productId, quantity: 1 }]));
  await created.settle(orders);
  redis = createRedisClient(testRedisUrl());
});
afterAll(async () => {
  await system?.stop();
  await redis?.quit();
});

const subscribe = (id: string, orderId: string) => ({ id, type: 'subscribe', payload: { query: 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status } }', variables: { id: orderId } } });

describe('subscriptions per connection', () => {
  it('are at most 20 by default: the 21st is refused, the others keep running, and a freed slot can be reused', async () => {
    const raw = await initialisedSocket(url, customer);
    for (let i = 1; i <= 20; i += 1) raw.send(subscribe(`s${i}`, orders[i % orders.length]!));
    await waitFor('20 subscriptions', () => system.gateway.feed.stats().listeners === 20);
    raw.send(subscribe('s21', orders[0]!));
    expect(await raw.next((m) => m['id'] === 's21')).toEqual({
      id: 's21',
      type: 'error',
      payload: [{ message: 'at most 20 operations at a time per connection', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    expect(system.gateway.feed.stats().listeners).toBe(20);

    // Another connection has its own 20.
    const other = await initialisedSocket(url, customer);
    other.send(subscribe('o1', orders[0]!));
    await waitFor('the other connection subscription', () => system.gateway.feed.stats().listeners === 21);
    await other.close();

    raw.send({ id: 's1', type: 'complete' });
    await waitFor('s1 to be released', () => system.gateway.feed.stats().listeners === 19);
    raw.send(subscribe('s22', orders[0]!));
    await waitFor('s22 to take the free slot', () => system.gateway.feed.stats().listeners === 20);
    expect(raw.messages.filter((m) => m['type'] === 'error').map((m) => m['id'])).toEqual(['s21']);
    await raw.close();
    await waitFor('everything to be released', async () => sameAs(await heldBy(system.gateway), { orders: 0, listeners: 0, redisSubscriptions: 0, sockets: 0 }));
  });
});

/**
 * The server terminates a connection whose pong has not arrived one keep-alive interval after its ping. Client and
 * server share this process: an event loop stalled longer than the interval (a loaded machine) runs the server's
 * timer before it reads the pong that is already there, so the interval is 1 s rather than a few hundred ms.
 */
describe('with SUBSCRIPTIONS_PER_CONNECTION=2 and SUBSCRIPTIONS_KEEPALIVE_MS=1000', () => {
  let tuned: RunningSystem;
  let tunedOrder: string;
  beforeAll(async () => {
    tuned = await startTestSystem('subs-limits-tuned', { env: { SUBSCRIPTIONS_PER_CONNECTION: '2', SUBSCRIPTIONS_KEEPALIVE_MS: '1000' } });
    const productId = await createProduct(tuned.urls.gateway, admin, { name: 'Eraser', amount: 100 });
    tunedOrder = await placeOrder(tuned.urls.gateway, customer, [{ productId, quantity: 1 }]);
  });
  afterAll(() => tuned?.stop());

  it('refuses the third subscription of a connection', async () => {
    const raw = await initialisedSocket(tuned.urls.gateway, customer);
    raw.send(subscribe('a', tunedOrder));
    raw.send(subscribe('b', tunedOrder));
    raw.send(subscribe('c', tunedOrder));
    expect(await raw.next((m) => m['id'] === 'c')).toEqual({
      id: 'c',
      type: 'error',
      payload: [{ message: 'at most 2 operations at a time per connection', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    await waitFor('two subscriptions', () => tuned.gateway.feed.stats().listeners === 2);
    await raw.close();
    await waitFor('release', () => tuned.gateway.feed.stats().listeners === 0);
  });

  it('pings every connection, and keeps one that answers', async () => {
    const raw = await initialisedSocket(tuned.urls.gateway, customer);
    let pings = 0;
    raw.socket.on('ping', () => (pings += 1));
    raw.send(subscribe('a', tunedOrder));
    await waitFor('three keep-alive pings', () => pings >= 3);
    expect(raw.socket.readyState).toBe(WebSocket.OPEN);
    await raw.close();
  });

  it('drops a connection that stops answering pings, and releases its subscriptions', async () => {
    const socket = new WebSocket(wsUrlOf(tuned.urls.gateway), 'graphql-transport-ws', { autoPong: false });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    const acknowledged = new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${customer}` } }));
    expect(JSON.parse(String(await acknowledged))).toEqual({ type: 'connection_ack' });
    socket.send(JSON.stringify(subscribe('a', tunedOrder)));
    await waitFor('the subscription', () => tuned.gateway.feed.stats().listeners === 1);
    // Terminated without a close frame once a ping went unanswered for the keep-alive interval.
    expect(await closed).toBe(1006);
    await waitFor('the release', async () => sameAs(await heldBy(tuned.gateway), { orders: 0, listeners: 0, redisSubscriptions: 0, sockets: 0 }));
  });
});

/**
 * SUBSCRIPTIONS_PER_CALLER and SUBSCRIPTIONS_PER_ADDRESS count a caller's (and an address's) subscriptions on both
 * transports together: the one over the cap is RATE_LIMITED (429 with Retry-After over HTTP), and a slot frees when
 * a subscription ends.
 */
describe('with SUBSCRIPTIONS_PER_CALLER=3 and SUBSCRIPTIONS_PER_ADDRESS=5', () => {
  let capped: RunningSystem;
  let cappedOrder: string;
  beforeAll(async () => {
    capped = await startTestSystem('subs-limits-capped', { env: { RATE_LIMIT: 'on', SUBSCRIPTIONS_PER_CALLER: '3', SUBSCRIPTIONS_PER_ADDRESS: '5' } });
    const productId = await createProduct(capped.urls.gateway, admin, { name: 'Stapler', amount: 900 });
    cappedOrder = await placeOrder(capped.urls.gateway, customer, [{ productId, quantity: 1 }]);
  });
  afterAll(() => capped?.stop());

  const WATCH = 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status } }';

  it('refuses the caller a fourth subscription over either transport, and gives the slot back when one ends', async () => {
    const first = await multipartSubscribe(capped.urls.gateway, customer, WATCH, { id: cappedOrder });
    const second = await multipartSubscribe(capped.urls.gateway, customer, WATCH, { id: cappedOrder });
    const raw = await initialisedSocket(capped.urls.gateway, customer);
    raw.send(subscribe('w1', cappedOrder));
    await waitFor('three subscriptions', () => capped.gateway.feed.stats().listeners === 3);

    const refused = await fetch(capped.urls.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MULTIPART_ACCEPT, authorization: `Bearer ${customer}` },
      body: JSON.stringify({ query: WATCH, variables: { id: cappedOrder } }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    const body = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([{ message: 'at most 3 subscriptions at a time per caller; end one first', extensions: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 30 } } }]);

    raw.send(subscribe('w2', cappedOrder));
    expect(await raw.next((m) => m['id'] === 'w2')).toEqual({
      id: 'w2',
      type: 'error',
      payload: [{ message: 'at most 3 subscriptions at a time per caller; end one first', extensions: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 30 } } }],
    });
    expect(capped.gateway.feed.stats().listeners).toBe(3);

    first.abort();
    await waitFor('the aborted stream released', () => capped.gateway.feed.stats().listeners === 2);
    raw.send(subscribe('w3', cappedOrder));
    await waitFor('w3 in the freed slot', () => capped.gateway.feed.stats().listeners === 3);
    second.abort();
    await raw.close();
    await waitFor('everything released', () => capped.gateway.feed.stats().listeners === 0);
  });

  it('refuses an address its sixth subscription, whoever the callers are', async () => {
    const admins = await Promise.all(['admin-cap-1', 'admin-cap-2'].map((sub) => tokenFor(sub, { admin: true })));
    const streams = [];
    for (let n = 0; n < 3; n += 1) streams.push(await multipartSubscribe(capped.urls.gateway, admins[0], WATCH, { id: cappedOrder }));
    for (let n = 0; n < 2; n += 1) streams.push(await multipartSubscribe(capped.urls.gateway, admins[1], WATCH, { id: cappedOrder }));
    await waitFor('five subscriptions', () => capped.gateway.feed.stats().listeners === 5);
    const raw = await initialisedSocket(capped.urls.gateway, admins[1]!);
    raw.send(subscribe('x', cappedOrder));
    expect(await raw.next((m) => m['id'] === 'x')).toEqual({
      id: 'x',
      type: 'error',
      payload: [{ message: 'at most 5 subscriptions at a time per address; end one first', extensions: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 30 } } }],
    });
    for (const stream of streams) stream.abort();
    await raw.close();
    await waitFor('everything released', () => capped.gateway.feed.stats().listeners === 0);
  });
});

function sameAs(actual: HeldResources, expected: HeldResources): boolean {
  return JSON.stringify(actual) === JSON.stringify(expected);
}

describe('clean-up', () => {
  it('holds exactly what it held before after 1,000 subscribe/disconnect cycles of every kind', async () => {
    const before = await heldBy(system.gateway);
    expect(before).toEqual({ orders: 0, listeners: 0, redisSubscriptions: 0, sockets: 0 });
    const channels = async () => ((await redis.pubsub('CHANNELS', `${orderStatusChannelPrefix(system.config)}*`)) as string[]).length;
    expect(await channels()).toBe(0);

    /**
     * Ways a client leaves: closing right after subscribing (often while the access check is still running),
     * dropping the TCP connection, completing then closing, and a graphql-ws client that saw its subscription
     * answer a query before disposing; every tenth cycle a multipart stream aborted once its headers arrived, and
     * every tenth another one aborted before any answer (while the gateway is still setting it up).
     */
    const cycle = async (i: number): Promise<void> => {
      const orderId = orders[i % orders.length]!;
      if (i % 10 === 9) {
        const stream = await multipartSubscribe(url, customer, WATCH_ORDER, { id: orderId });
        stream.abort();
        return;
      }
      if (i % 10 === 4) {
        // Not a wait: the client gives up 0-2 ms after sending, at whatever stage of the set-up that lands in.
        const request = fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: MULTIPART_ACCEPT, authorization: `Bearer ${customer}` },
          body: JSON.stringify({ query: WATCH_ORDER, variables: { id: orderId } }),
          signal: AbortSignal.timeout(i % 3),
        });
        await request.then(
          (response) => response.body?.cancel(),
          () => undefined,
        );
        return;
      }
      switch (i % 4) {
        case 0: {
          const raw = await initialisedSocket(url, customer);
          raw.send(subscribe('x', orderId));
          await raw.close();
          return;
        }
        case 1: {
          const raw = await initialisedSocket(url, customer);
          raw.send(subscribe('x', orderId));
          raw.socket.terminate();
          await raw.closed;
          return;
        }
        case 2: {
          const raw = await initialisedSocket(url, customer);
          raw.send(subscribe('x', orderId));
          raw.send({ id: 'x', type: 'complete' });
          await raw.close();
          return;
        }
        default: {
          const client = wsClient(url, customer);
          const updates = new Recorded(client, WATCH_ORDER, { id: orderId });
          const query = new Recorded(client, 'query ($id: ID!) { order(id: $id) { id } }', { id: orderId });
          await query.ended();
          updates.stop();
          await client.dispose();
        }
      }
    };

    const total = 1000;
    const concurrency = 20;
    let next = 0;
    let changes = 0;
    const statusSteps: ['confirmOrder' | 'completeOrder', string][] = [
      ...orders.map((id) => ['confirmOrder', id] as ['confirmOrder', string]),
      ...orders.map((id) => ['completeOrder', id] as ['completeOrder', string]),
    ];
    const worker = async () => {
      while (next < total) {
        const i = next;
        next += 1;
        await cycle(i);
        // Status changes while clients come and go, so updates are in flight during disconnects.
        if (i % 50 === 0 && changes < statusSteps.length) {
          const [mutation, orderId] = statusSteps[changes]!;
          changes += 1;
          await changeStatus(url, admin, mutation, orderId);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    expect(next).toBe(total);
    expect(changes).toBe(statusSteps.length);

    await waitFor('the gateway to hold what it held before', async () => sameAs(await heldBy(system.gateway), before), 30_000).catch(() => undefined);
    expect(await heldBy(system.gateway)).toEqual(before);
    expect(await channels()).toBe(0);
    // Still serving.
    const response = await graphql<{ order: { status: string } }>(url, 'query ($id: ID!) { order(id: $id) { status } }', { id: orders[0]! }, { token: customer });
    expect(response.data).toEqual({ order: { status: 'COMPLETED' } });
  }, 180_000);
});
