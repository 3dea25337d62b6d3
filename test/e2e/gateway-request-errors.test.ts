import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { createProduct, initialisedSocket, MULTIPART_ACCEPT, placeOrder, type RawSocket } from '../support/subscriptions';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Requests that cannot run, on every transport the gateway speaks (HTTP POST and GET, graphql-ws, multipart
 * subscriptions): each gets Apollo Server's own code where Apollo defines one (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, BAD_REQUEST, OPERATION_RESOLUTION_FAILURE), with graphql-js's message and HTTP 400,
 * never a 500 or a BAD_USER_INPUT standing in for them.
 */

const TWO_OPERATIONS = 'query A { __typename } query B { __typename }';
const TWO_SUBSCRIPTIONS = 'subscription A($id: ID!) { orderStatusChanged(orderId: $id) { status } } subscription B($id: ID!) { orderStatusChanged(orderId: $id) { at } }';
const MUST_NAME = 'Must provide operation name if query contains multiple operations.';
const UNKNOWN_C = 'Unknown operation named "C".';

let system: RunningSystem;
let url: string;
let customer: string;
let orderId: string;

beforeAll(async () => {
  system = await startTestSystem('gateway-request-errors');
  url = system.urls.gateway;
  customer = await tokenFor('customer-request-errors');
  const admin = await tokenFor('admin-request-errors', { admin: true });
  const productId = await createProduct(url, admin, { name: 'Error Lamp', amount: 500 });
  orderId = await placeOrder(url, customer, [{ productId, quantity: 1 }]);
});
afterAll(() => system?.stop());

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as never };
}

async function get(params: Record<string, string>): Promise<{ status: number; body: { errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  const response = await fetch(target, { headers: { 'apollo-require-preflight': 'true' } });
  return { status: response.status, body: (await response.json()) as never };
}

const only = (body: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) => body.errors?.map((error) => ({ message: error.message, code: error.extensions?.['code'] }));

describe('which operation to run', () => {
  it.each([
    ['two operations and no operationName', undefined, MUST_NAME],
    ['an operationName that names no operation', 'C', UNKNOWN_C],
  ])('%s is 400 OPERATION_RESOLUTION_FAILURE over POST and GET', async (_case, operationName, message) => {
    const posted = await post({ query: TWO_OPERATIONS, ...(operationName ? { operationName } : {}) });
    expect(posted.status).toBe(400);
    expect(only(posted.body)).toEqual([{ message, code: 'OPERATION_RESOLUTION_FAILURE' }]);
    const got = await get({ query: TWO_OPERATIONS, ...(operationName ? { operationName } : {}) });
    expect(got.status).toBe(400);
    expect(only(got.body)).toEqual([{ message, code: 'OPERATION_RESOLUTION_FAILURE' }]);
  });

  it.each([
    ['two operations and no operationName', undefined, MUST_NAME],
    ['an operationName that names no operation', 'C', UNKNOWN_C],
  ])('%s is OPERATION_RESOLUTION_FAILURE on graphql-ws, and the connection stays usable', async (_case, operationName, message) => {
    const socket: RawSocket = await initialisedSocket(url, customer);
    try {
      socket.send({ id: 'q', type: 'subscribe', payload: { query: TWO_OPERATIONS, ...(operationName ? { operationName } : {}) } });
      const error = await socket.next((m) => m['id'] === 'q' && m['type'] === 'error');
      expect((error['payload'] as { message: string; extensions: { code: string } }[]).map((e) => ({ message: e.message, code: e.extensions.code }))).toEqual([
        { message, code: 'OPERATION_RESOLUTION_FAILURE' },
      ]);
      socket.send({ id: 's', type: 'subscribe', payload: { query: TWO_SUBSCRIPTIONS, variables: { id: orderId }, ...(operationName ? { operationName } : {}) } });
      const subscription = await socket.next((m) => m['id'] === 's' && m['type'] === 'error');
      expect((subscription['payload'] as { extensions: { code: string } }[])[0]!.extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
      socket.send({ id: 'ok', type: 'subscribe', payload: { query: '{ __typename }' } });
      expect(await socket.next((m) => m['id'] === 'ok' && m['type'] === 'next')).toMatchObject({ payload: { data: { __typename: 'Query' } } });
    } finally {
      await socket.close();
    }
  });

  it.each([
    ['two subscriptions and no operationName', undefined, MUST_NAME],
    ['an operationName that names no subscription', 'C', UNKNOWN_C],
  ])('%s is 400 OPERATION_RESOLUTION_FAILURE on a multipart subscription request', async (_case, operationName, message) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MULTIPART_ACCEPT, authorization: `Bearer ${customer}` },
      body: JSON.stringify({ query: TWO_SUBSCRIPTIONS, variables: { id: orderId }, ...(operationName ? { operationName } : {}) }),
    });
    expect(response.status).toBe(400);
    expect(only((await response.json()) as never)).toEqual([{ message, code: 'OPERATION_RESOLUTION_FAILURE' }]);
  });

  it('runs the named operation of several, on HTTP and multipart', async () => {
    expect((await post({ query: TWO_OPERATIONS, operationName: 'B' })).body).toEqual({ data: { __typename: 'Query' } });
    const controller = new AbortController();
    const stream = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MULTIPART_ACCEPT, authorization: `Bearer ${customer}` },
      body: JSON.stringify({ query: TWO_SUBSCRIPTIONS, variables: { id: orderId }, operationName: 'B' }),
      signal: controller.signal,
    });
    controller.abort();
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^multipart\/mixed/);
  });
});

describe("Apollo Server's codes", () => {
  it.each([
    ['GRAPHQL_PARSE_FAILED', '{ products(', 'subscription { orderStatusChanged(', /^Syntax Error: Expected Name, found <EOF>\.$/],
    ['GRAPHQL_VALIDATION_FAILED', '{ products { nope } }', 'subscription { orderStatusChanged(orderId: "x") { nope } }', /^Cannot query field "nope" on type "ProductConnection"\./],
  ])('%s: 400 over POST and GET, and the same code on graphql-ws and multipart', async (code, query, subscription, message) => {
    const posted = await post({ query });
    expect(posted.status).toBe(400);
    expect(only(posted.body)).toEqual([{ message: expect.stringMatching(message), code }]);
    const got = await get({ query });
    expect(got.status).toBe(400);
    expect(only(got.body)).toEqual([{ message: expect.stringMatching(message), code }]);

    const socket = await initialisedSocket(url, customer);
    try {
      socket.send({ id: 'p', type: 'subscribe', payload: { query: subscription } });
      const error = await socket.next((m) => m['id'] === 'p' && m['type'] === 'error');
      expect((error['payload'] as { extensions: { code: string } }[]).map((e) => e.extensions.code)).toEqual([code]);
    } finally {
      await socket.close();
    }
    const multipart = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MULTIPART_ACCEPT, authorization: `Bearer ${customer}` },
      body: JSON.stringify({ query: subscription }),
    });
    expect(multipart.status).toBe(400);
    expect(((await multipart.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual([code]);
  });

  it('BAD_REQUEST: a request that is not a GraphQL request, 400 (405 for a mutation over GET)', async () => {
    for (const body of [{}, { query: 42 }, { query: '{ __typename }', variables: 'x' }, { query: '{ __typename }', operationName: 7 }, { query: '{ __typename }', extensions: [] }]) {
      const response = await post(body);
      expect({ body, status: response.status, codes: response.body.errors?.map((e) => e.extensions?.['code']) }).toEqual({ body, status: 400, codes: ['BAD_REQUEST'] });
    }
    const malformed = await post('{"query": ');
    expect(malformed.status).toBe(400);
    expect(only(malformed.body)).toEqual([{ message: 'the request body is not valid JSON', code: 'BAD_REQUEST' }]);
    const mutation = await get({ query: 'mutation { redeemPoints(points: 1) { balance } }' });
    expect(mutation.status).toBe(405);
    expect(only(mutation.body)).toEqual([{ message: 'GET requests only support query operations, not mutation operations', code: 'BAD_REQUEST' }]);
  });

  it('keeps the contract codes for the rest: a too complex query is QUERY_TOO_COMPLEX, a missing variable BAD_USER_INPUT', async () => {
    const deep = await post({ query: `{ ${'products { edges { node { '.repeat(6)}id${' } } }'.repeat(6)} }` });
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['QUERY_TOO_COMPLEX']);
    const variable = await post({ query: 'query ($id: ID!) { product(id: $id) { id } }' });
    expect(variable.status).toBe(400);
    expect(variable.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });
});
