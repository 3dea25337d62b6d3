import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cursor } from '../../lib/dynamodb';
import type { RunningSystem } from '../../scripts/system';
import { CREATE_PRODUCT, productInput, type ProductView } from '../support/catalog';
import { errorCodes, graphql, type GraphQLResponse } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Every bad input through the real gateway answers with its docs/architecture.md §2 code and a message naming the field and
 * the value; nothing a client sends crashes a service or shows it internals.
 */

const UNKNOWN_ID = '00000000-0000-4000-8000-0000000000aa';
const PAGE = `query($category: String, $first: Int, $after: String) { products(category: $category, first: $first, after: $after) { edges { cursor node { id } } } }`;

let system: RunningSystem;
let adminToken: string;
let existing: ProductView;

function onlyError(response: GraphQLResponse<unknown>): { code: string | undefined; message: string; details: unknown } {
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  return { code: error.extensions?.['code'] as string | undefined, message: error.message, details: error.extensions?.['details'] };
}

/** Nothing in a response hints at the implementation: no stack frames, paths, SDK errors or hostnames. */
function expectNoInternals(body: string): void {
  expect(body).not.toMatch(/node_modules|\/work\/|\.ts:\d|\n\s+at |Exception|DynamoDB|stacktrace|127\.0\.0\.1/);
}

beforeAll(async () => {
  system = await startTestSystem('catalog-bad-input');
  adminToken = await tokenFor('admin-1', { admin: true });
  const response = await graphql<{ createProduct: ProductView }>(system.urls.gateway, CREATE_PRODUCT, { input: productInput(1, { sku: 'TAKEN-SKU' }) }, { token: adminToken });
  expect(response.errors).toBeUndefined();
  existing = response.data!.createProduct;
});
afterAll(() => system?.stop());

describe('createProduct', () => {
  it.each([
    ['a negative price', { price: { amount: -1, currency: 'USD' } }, 'price.amount', 'price.amount must not be negative, got -1'],
    ['a bad currency', { price: { amount: 100, currency: 'usd' } }, 'price.currency', 'price.currency must be an ISO 4217 currency code such as USD, EUR or JPY, got "usd"'],
    ['a bad SKU', { sku: 'bad sku!' }, 'sku', 'sku must be upper-case letters, digits and dashes, 3-64 characters, got "bad sku!"'],
    ['a too short SKU', { sku: 'AB' }, 'sku', 'sku must be upper-case letters, digits and dashes, 3-64 characters, got "AB"'],
    ['an empty name', { name: '  ' }, 'name', 'name must be 1-200 characters, got 0 ("  ")'],
    ['a negative stock', { stockQuantity: -5 }, 'stockQuantity', 'stockQuantity must be at least 0, got -5'],
  ])('refuses %s with BAD_USER_INPUT naming the field and the value, and writes nothing', async (_label, overrides, field, message) => {
    const input = productInput(2, { sku: 'FRESH-SKU-1', ...overrides });
    const error = onlyError(await graphql(system.urls.gateway, CREATE_PRODUCT, { input }, { token: adminToken }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(message);
    expect((error.details as { field: string }).field).toBe(field);
  });

  it('refuses a duplicate SKU with CONFLICT', async () => {
    const error = onlyError(await graphql(system.urls.gateway, CREATE_PRODUCT, { input: productInput(3, { sku: 'TAKEN-SKU' }) }, { token: adminToken }));
    expect(error).toEqual({ code: 'CONFLICT', message: 'a product with SKU TAKEN-SKU already exists', details: { field: 'sku', value: 'TAKEN-SKU' } });
  });

  it('left the SKU of every refused input free', async () => {
    const response = await graphql(system.urls.gateway, CREATE_PRODUCT, { input: productInput(4, { sku: 'FRESH-SKU-1' }) }, { token: adminToken });
    expect(response.errors).toBeUndefined();
  });

  it('refuses an amount beyond GraphQL Int with BAD_USER_INPUT', async () => {
    const response = await graphql(system.urls.gateway, CREATE_PRODUCT, { input: productInput(5, { price: { amount: 2 ** 31, currency: 'USD' } }) }, { token: adminToken });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain('2147483648');
  });
});

describe('updateProduct and changeProductPrice', () => {
  it('refuses an unknown product with NOT_FOUND naming the id', async () => {
    const update = onlyError(
      await graphql(system.urls.gateway, `mutation($id: ID!) { updateProduct(id: $id, input: { name: "x" }) { id } }`, { id: UNKNOWN_ID }, { token: adminToken }),
    );
    expect(update).toEqual({ code: 'NOT_FOUND', message: `no product with id "${UNKNOWN_ID}"`, details: { field: 'id', value: UNKNOWN_ID } });
    const price = onlyError(
      await graphql(system.urls.gateway, `mutation($id: ID!) { changeProductPrice(id: $id, price: { amount: 1, currency: "USD" }) { id } }`, { id: UNKNOWN_ID }, { token: adminToken }),
    );
    expect(price.code).toBe('NOT_FOUND');
    expect(price.message).toBe(`no product with id "${UNKNOWN_ID}"`);
  });

  it('refuses an unknown id too long to be a key with NOT_FOUND, not an internal error', async () => {
    const id = 'x'.repeat(3000);
    const error = onlyError(await graphql(system.urls.gateway, `mutation($id: ID!) { updateProduct(id: $id, input: { name: "x" }) { id } }`, { id }, { token: adminToken }));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('refuses invalid changes with BAD_USER_INPUT', async () => {
    const stock = onlyError(
      await graphql(system.urls.gateway, `mutation($id: ID!) { updateProduct(id: $id, input: { stockQuantity: -1 }) { id } }`, { id: existing.id }, { token: adminToken }),
    );
    expect(stock).toMatchObject({ code: 'BAD_USER_INPUT', message: 'stockQuantity must be at least 0, got -1' });
    const price = onlyError(
      await graphql(system.urls.gateway, `mutation($id: ID!) { changeProductPrice(id: $id, price: { amount: -250, currency: "USD" }) { id } }`, { id: existing.id }, { token: adminToken }),
    );
    expect(price).toMatchObject({ code: 'BAD_USER_INPUT', message: 'price.amount must not be negative, got -250' });
    const currency = onlyError(
      await graphql(system.urls.gateway, `mutation($id: ID!) { changeProductPrice(id: $id, price: { amount: 250, currency: "EURO" }) { id } }`, { id: existing.id }, { token: adminToken }),
    );
    expect(currency).toMatchObject({ code: 'BAD_USER_INPUT', message: 'price.currency must be an ISO 4217 currency code such as USD, EUR or JPY, got "EURO"' });
    const product = await graphql<{ product: ProductView }>(system.urls.gateway, `query($id: ID!) { product(id: $id) { stockQuantity price { amount currency } } }`, { id: existing.id });
    expect(product.data!.product).toEqual({ stockQuantity: existing.stockQuantity, price: existing.price });
  });
});

describe('products', () => {
  it.each([0, -1, 101, 1000])('refuses first = %p with BAD_USER_INPUT', async (first) => {
    const error = onlyError(await graphql(system.urls.gateway, PAGE, { first }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(`first must be between 1 and 100, got ${first}`);
    expect(error.details).toEqual({ field: 'first', value: first });
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of something else', Buffer.from('{"hello":"world"}').toString('base64url')],
    ['a key with empty parts', cursor.encode({ pk: '', sk: '', typeKey: 'PRODUCT', listKey: '' })],
  ])('refuses a malformed cursor (%s) with BAD_USER_INPUT naming the argument and the value', async (_label, after) => {
    const error = onlyError(await graphql(system.urls.gateway, PAGE, { first: 5, after }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(`after is not a valid cursor: pass the endCursor of a previous page, got ${JSON.stringify(after.slice(0, 60))}`);
  });

  it("refuses another list's cursor with BAD_USER_INPUT", async () => {
    const all = await graphql<{ products: { edges: { cursor: string }[] } }>(system.urls.gateway, PAGE, { first: 1 });
    const error = onlyError(await graphql(system.urls.gateway, PAGE, { category: 'e2e', first: 5, after: all.data!.products.edges[0]!.cursor }));
    expect(error.code).toBe('BAD_USER_INPUT');
  });

  it('answers null without an error for an unknown product id', async () => {
    const response = await graphql(system.urls.gateway, `query($id: ID!) { product(id: $id) { id } }`, { id: UNKNOWN_ID });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ product: null });
  });
});

describe('nothing a client sends crashes a service or shows internals', () => {
  const endpoints = () => [
    ['gateway', system.urls.gateway],
    ['catalog', `${system.urls.catalog}/graphql`],
  ];

  // Apollo Server's codes for requests that cannot run, on the gateway and on a subgraph alike.
  it.each([
    ['malformed JSON', '{"query": "{ products { edges', 'the request body is not valid JSON', 'BAD_REQUEST'],
    ['a JSON array', '[1, 2, 3]', 'Operation batching disabled.', 'BAD_REQUEST'],
    ['a query that is not a string', '{"query": 42}', 'GraphQL queries must be strings.', 'BAD_REQUEST'],
    ['GraphQL syntax errors', '{"query": "{ products( }"}', 'Syntax Error: Expected Name, found "}".', 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{"query": "{ nope }"}', 'Cannot query field "nope" on type "Query".', 'GRAPHQL_VALIDATION_FAILED'],
  ])('answers %s with 400 and its code as JSON', async (_label, body, message, code) => {
    for (const [, url] of endpoints()) {
      const response = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
      const parsed = JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] };
      expect(parsed.errors[0]!.extensions.code).toBe(code);
      expect(parsed.errors[0]!.message).toBe(message);
      expectNoInternals(text);
    }
  });

  it('answers a body over the size limit with 413 as JSON', async () => {
    const body = JSON.stringify({ query: '{ products { edges { cursor } } }', variables: { padding: 'x'.repeat(1_100_000) } });
    for (const [, url] of endpoints()) {
      const response = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      expect(response.status).toBe(413);
      expect((JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
      expectNoInternals(text);
    }
  });

  it('answers hostile ids and filters without an internal error', async () => {
    for (const [, url] of endpoints()) {
      for (const id of ['x'.repeat(3000), '', '💥'.repeat(600), 'PRODUCT#../../etc']) {
        const response = await graphql(url!, `query($id: ID!) { product(id: $id) { id } }`, { id });
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual({ product: null });
      }
      const filter = await graphql(url!, PAGE, { category: '#'.repeat(500), first: 5 });
      expect(filter.errors).toBeUndefined();
    }
  });

  it('answers malformed entity representations sent straight to the subgraph with BAD_USER_INPUT', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id } } }`;
    for (const representation of [{ __typename: 'Product' }, { __typename: 'Product', id: 42 }, { __typename: 'Product', id: { nested: true } }]) {
      const response = await graphql(`${system.urls.catalog}/graphql`, query, { r: [representation] });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.message).toMatch(/^a Product representation needs a string id, got /);
    }
    const unknown = await graphql(`${system.urls.catalog}/graphql`, query, { r: [{ __typename: 'Product', id: 'x'.repeat(3000) }] });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ _entities: [null] });
  });

  it('answers malformed REST paths with a JSON 400', async () => {
    for (const path of ['/products/%', '/products/%E0%A4%A', '/products?ids=%zz']) {
      const response = await fetch(`${system.urls.catalog}${path}`);
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expectNoInternals(text);
    }
  });

  it('is still healthy and serving afterwards', async () => {
    expect((await fetch(`${system.urls.catalog}/health`)).status).toBe(200);
    expect((await fetch(`${system.gateway.http.url}/health`)).status).toBe(200);
    const response = await graphql(system.urls.gateway, `query($id: ID!) { product(id: $id) { sku } }`, { id: existing.id });
    expect(response.data).toEqual({ product: { sku: 'TAKEN-SKU' } });
  });
});
