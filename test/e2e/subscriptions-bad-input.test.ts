import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { CreatedOrders, MULTIPART_ACCEPT, WATCH_ORDER, createProduct, heldBy, initialisedSocket, multipartSubscribe, rawSocket, type RawSocket } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Bad input: an unknown order is NOT_FOUND on that subscription, invalid operations are the client's error, and
 * malformed protocol messages close the socket with graphql-transport-ws's own codes. None of it takes the
 * gateway down or leaves anything held.
 */

let system: RunningSystem;
let url: string;
let customer: string;
let admin: string;
let orderId: string;

beforeAll(async () => {
  system = await startTestSystem('subs-bad-input', { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  url = system.urls.gateway;
  const created = await CreatedOrders.start(system);
  admin = await tokenFor('admin-1', { admin: true });
  customer = await tokenFor('customer-bad-1');
  const productId = await createProduct(url, admin, { name: 'Notebook', amount: 450 });
  orderId = await created.place(customer, [{ productId, quantity: 2 }]);
});
afterAll(() => system?.stop());

const SHORT = 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status } }';

/** After each protocol error the gateway still serves a fresh connection end to end. */
async function expectGatewayServes(): Promise<void> {
  const raw = await initialisedSocket(url, customer);
  raw.send({ id: 'q', type: 'subscribe', payload: { query: 'query ($id: ID!) { order(id: $id) { id } }', variables: { id: orderId } } });
  expect(await raw.next((m) => m['id'] === 'q' && m['type'] === 'next')).toEqual({ id: 'q', type: 'next', payload: { data: { order: { id: orderId } } } });
  await raw.close();
  expect((await fetch(`${system.gateway.http.url}/health`)).status).toBe(200);
}

describe('unknown order', () => {
  it('is NOT_FOUND on that graphql-ws subscription, and the connection stays usable', async () => {
    const before = system.gateway.feed.stats();
    const raw = await initialisedSocket(url, customer);
    raw.send({ id: 'ghost', type: 'subscribe', payload: { query: SHORT, variables: { id: 'no-such-order' } } });
    await raw.next((m) => m['id'] === 'ghost' && m['type'] === 'complete');
    expect(raw.messages.filter((m) => m['id'] === 'ghost')).toEqual([
      {
        id: 'ghost',
        type: 'next',
        payload: {
          errors: [
            {
              message: 'no order with id "no-such-order"',
              locations: [{ line: 1, column: 27 }],
              path: ['orderStatusChanged'],
              extensions: { code: 'NOT_FOUND', details: { field: 'orderId', value: 'no-such-order' } },
            },
          ],
        },
      },
      { id: 'ghost', type: 'complete' },
    ]);
    expect(system.gateway.feed.stats()).toEqual(before);
    raw.send({ id: 'real', type: 'subscribe', payload: { query: SHORT, variables: { id: orderId } } });
    await waitFor('the real subscription', () => system.gateway.feed.stats().listeners === before.listeners + 1);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    await raw.close();
    await waitFor('the socket to be released', () => system.gateway.feed.stats().listeners === before.listeners);
  });

  it('is NOT_FOUND in the one part of a multipart stream that then ends', async () => {
    const stream = await multipartSubscribe(url, customer, SHORT, { id: 'no-such-order' });
    await stream.ended;
    expect(stream.status).toBe(200);
    expect(stream.parts).toEqual([
      {
        payload: {
          errors: [
            {
              message: 'no order with id "no-such-order"',
              locations: [{ line: 1, column: 27 }],
              path: ['orderStatusChanged'],
              extensions: { code: 'NOT_FOUND', details: { field: 'orderId', value: 'no-such-order' } },
            },
          ],
        },
      },
    ]);
  });
});

describe('invalid operations over graphql-ws', () => {
  let raw: RawSocket;
  beforeAll(async () => {
    raw = await initialisedSocket(url, customer);
  });
  afterAll(() => raw.close());

  async function errorFor(id: string, payload: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    raw.send({ id, type: 'subscribe', payload });
    const reply = await raw.next((m) => m['id'] === id && (m['type'] === 'error' || m['type'] === 'complete'));
    if (reply['type'] === 'complete') {
      return raw.messages.filter((m) => m['id'] === id);
    }
    return [reply];
  }

  it('answers a document that does not validate with an error message, GRAPHQL_VALIDATION_FAILED', async () => {
    expect(await errorFor('v1', { query: 'subscription { orderStatusChanged(orderId: "x") { nope } }' })).toEqual([
      {
        id: 'v1',
        type: 'error',
        payload: [{ message: 'Cannot query field "nope" on type "OrderStatusUpdate".', locations: [{ line: 1, column: 51 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      },
    ]);
  });

  it('answers a syntax error with GRAPHQL_PARSE_FAILED', async () => {
    expect(await errorFor('v2', { query: 'subscription { orderStatusChanged(' })).toEqual([
      { id: 'v2', type: 'error', payload: [{ message: 'Syntax Error: Expected Name, found <EOF>.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
    ]);
  });

  it('answers a missing or mistyped variable with BAD_USER_INPUT', async () => {
    expect(await errorFor('v3', { query: SHORT, variables: {} })).toEqual([
      {
        id: 'v3',
        type: 'error',
        payload: [{ message: 'Variable "$id" of required type "ID!" was not provided.', locations: [{ line: 1, column: 15 }], extensions: { code: 'BAD_USER_INPUT' } }],
      },
    ]);
    expect(await errorFor('v4', { query: SHORT, variables: { id: { not: 'an id' } } })).toEqual([
      {
        id: 'v4',
        type: 'error',
        payload: [
          {
            message: 'Variable "$id" got invalid value { not: "an id" }; ID cannot represent value: { not: "an id" }',
            locations: [{ line: 1, column: 15 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
    ]);
  });

  it('answers an operation over the depth limit with QUERY_TOO_COMPLEX', async () => {
    // Depth 18 (orderStatusChanged > order > customer > orders > edges > node > customer > orders > edges > node >
    // customer > orders > edges > node > customer > orders > pageInfo > hasNextPage), over the default limit of 16:
    // the analysis stops at the first field past it.
    const deep = `subscription ($id: ID!) { orderStatusChanged(orderId: $id) { order { customer { orders(first: 1) { edges { node { customer {
      orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { customer { orders(first: 1) { pageInfo { hasNextPage } } } } } } } } } } } } } } } } } }`;
    expect(await errorFor('v5', { query: deep, variables: { id: orderId } })).toEqual([
      {
        id: 'v5',
        type: 'error',
        // The same error as the HTTP pipeline gives (below, for multipart).
        payload: [
          {
            message: 'query depth more than 16 exceeds the limit of 16',
            extensions: { code: 'QUERY_TOO_COMPLEX', details: { limit: 'depth', max: 16, measured: 'more than 16' } },
          },
        ],
      },
    ]);
  });

  it('still serves the connection afterwards, and holds nothing for the refused operations', async () => {
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.send({ type: 'ping' });
    expect(await raw.next((m) => m['type'] === 'pong')).toEqual({ type: 'pong' });
    expect(system.gateway.feed.stats()).toEqual({ orders: 0, listeners: 0 });
  });
});

describe('malformed graphql-transport-ws messages', () => {
  async function closeFor(messages: (string | Buffer | Record<string, unknown>)[], options: { init?: boolean; protocols?: string[] } = {}) {
    const raw = options.init === false ? await rawSocket(url, options.protocols ? { protocols: options.protocols } : {}) : await initialisedSocket(url, customer);
    for (const message of messages) {
      if (Buffer.isBuffer(message)) raw.socket.send(message);
      else raw.send(message);
    }
    return raw.closed;
  }

  it.each([
    ['text that is not JSON', ['{"type": "subscribe", ']],
    ['JSON without a type', [{ id: '1' }]],
    ['an unknown message type', [{ type: 'start', id: '1', payload: { query: SHORT } }]],
    ['a subscribe without an id', [{ type: 'subscribe', payload: { query: SHORT } }]],
    ['a subscribe whose query is not a string', [{ id: '1', type: 'subscribe', payload: { query: 42 } }]],
    ['a JSON array', ['[1, 2, 3]']],
  ])('close the socket with 4400 on %s', async (_case, messages) => {
    expect(await closeFor(messages)).toEqual({ code: 4400, reason: 'Invalid message received' });
    await expectGatewayServes();
  });

  it('close with 4400 on a binary frame that is not a message', async () => {
    expect(await closeFor([Buffer.from([0xff, 0x00, 0x13, 0x37])])).toEqual({ code: 4400, reason: 'Invalid message received' });
  });

  it('close with 4401 on a subscribe before connection_init', async () => {
    expect(await closeFor([{ id: '1', type: 'subscribe', payload: { query: SHORT, variables: { id: orderId } } }], { init: false })).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('close with 4429 on a second connection_init', async () => {
    expect(await closeFor([{ type: 'connection_init', payload: { authorization: `Bearer ${customer}` } }])).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('close with 4409 on a second subscribe with an id that is in use', async () => {
    const message = { id: 'same', type: 'subscribe', payload: { query: SHORT, variables: { id: orderId } } };
    expect(await closeFor([message, message])).toEqual({ code: 4409, reason: 'Subscriber for same already exists' });
    await waitFor('the listener to be released', () => system.gateway.feed.stats().listeners === 0);
  });

  it('close with 4406 a socket that did not ask for graphql-transport-ws', async () => {
    expect(await closeFor([], { init: false, protocols: [] })).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
  });

  it('close with 4408 a socket that never sends connection_init', async () => {
    expect(await closeFor([], { init: false })).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('close with 1009 on a message larger than 1 MiB, a client error that prints nothing', async () => {
    const consoleError = jest.spyOn(console, 'error');
    try {
      const huge = JSON.stringify({ id: 'big', type: 'subscribe', payload: { query: `# ${'x'.repeat(1024 * 1024)}\n${SHORT}`, variables: { id: orderId } } });
      expect((await closeFor([huge])).code).toBe(1009);
      await expectGatewayServes();
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
  });

  it('leave the gateway serving, with every refused socket released', async () => {
    await expectGatewayServes();
    await waitFor('every socket to be released', async () => (await heldBy(system.gateway)).sockets === 0);
    expect(await heldBy(system.gateway)).toEqual({ orders: 0, listeners: 0, redisSubscriptions: 0, sockets: 0 });
  });
});

describe('invalid multipart requests', () => {
  it('answer 400 BAD_USER_INPUT to a subscription without the multipart Accept header', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${customer}` },
      body: JSON.stringify({ query: WATCH_ORDER, variables: { id: orderId } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'subscriptions are served over WebSocket (graphql-transport-ws) or with Accept: multipart/mixed;subscriptionSpec="1.0"',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
  });

  it('answer an invalid subscription document as any invalid request, GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await graphql(url, 'subscription { orderStatusChanged(orderId: "x") { nope } }', {}, { token: customer, headers: { accept: MULTIPART_ACCEPT } });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: 'Cannot query field "nope" on type "OrderStatusUpdate".',
        locations: [{ line: 1, column: 51 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
  });

  it('answer an operation over the depth limit with QUERY_TOO_COMPLEX', async () => {
    const deep = `subscription ($id: ID!) { orderStatusChanged(orderId: $id) { order { customer { orders(first: 1) { edges { node { customer {
      orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { customer { orders(first: 1) { pageInfo { hasNextPage } } } } } } } } } } } } } } } } } }`;
    const response = await graphql(url, deep, { id: orderId }, { token: customer, headers: { accept: MULTIPART_ACCEPT } });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      { message: 'query depth more than 16 exceeds the limit of 16', extensions: { code: 'QUERY_TOO_COMPLEX', details: { limit: 'depth', max: 16, measured: 'more than 16' } } },
    ]);
  });

  it('answer a missing variable with BAD_USER_INPUT', async () => {
    const response = await graphql(url, SHORT, {}, { token: customer, headers: { accept: MULTIPART_ACCEPT } });
    expect(response.status).toBe(400);
    expect(response.errors?.map((error) => [error.message, error.extensions?.['code']])).toEqual([['Variable "$id" of required type "ID!" was not provided.', 'BAD_USER_INPUT']]);
  });
});
