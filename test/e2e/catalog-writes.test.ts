import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { signDevToken } from '../../lib/auth';
import type { RunningSystem } from '../../scripts/system';
import { CREATE_PRODUCT, PRODUCT_FIELDS, productInput, type ProductView } from '../support/catalog';
import { errorCodes, graphql } from '../support/graphql';
import { TEST_JWT_SECRET, startTestSystem, tokenFor } from '../support/system';

/** Catalog mutations through the real gateway: admins write; customers, anonymous callers and bad tokens are refused. */

const UPDATE = `mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { ${PRODUCT_FIELDS} } }`;
const CHANGE_PRICE = `mutation($id: ID!, $price: MoneyInput!) { changeProductPrice(id: $id, price: $price) { ${PRODUCT_FIELDS} } }`;
const READ = `query($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`;

let system: RunningSystem;
let adminToken: string;
let customerToken: string;
let existing: ProductView;

async function read(id: string): Promise<ProductView | null> {
  const response = await graphql<{ product: ProductView | null }>(system.urls.gateway, READ, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.product;
}

async function productsCount(): Promise<number> {
  const response = await graphql<{ products: { edges: unknown[] } }>(system.urls.gateway, `{ products(first: 100) { edges { cursor } } }`);
  return response.data!.products.edges.length;
}

beforeAll(async () => {
  system = await startTestSystem('catalog-writes');
  adminToken = await tokenFor('admin-1', { admin: true });
  customerToken = await tokenFor('customer-1');
  const response = await graphql<{ createProduct: ProductView }>(system.urls.gateway, CREATE_PRODUCT, { input: productInput(1) }, { token: adminToken });
  expect(response.errors).toBeUndefined();
  existing = response.data!.createProduct;
});
afterAll(() => system?.stop());

describe('an admin', () => {
  it('creates a product', async () => {
    const input = productInput(2, { sku: 'ADMIN-NEW-1', name: 'Stand Mixer', category: 'kitchen', price: { amount: 24999, currency: 'EUR' }, stockQuantity: 3 });
    const response = await graphql<{ createProduct: ProductView }>(system.urls.gateway, CREATE_PRODUCT, { input }, { token: adminToken });
    expect(response.errors).toBeUndefined();
    const product = response.data!.createProduct;
    expect(product).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      sku: 'ADMIN-NEW-1',
      name: 'Stand Mixer',
      description: 'Description 2',
      category: 'kitchen',
      price: { amount: 24999, currency: 'EUR' },
      stockQuantity: 3,
      inStock: true,
      createdAt: product.createdAt,
      updatedAt: product.createdAt,
    });
    expect(await read(product.id)).toEqual(product);
  });

  it('updates a product, keeping fields left out', async () => {
    const response = await graphql<{ updateProduct: ProductView }>(
      system.urls.gateway,
      UPDATE,
      { id: existing.id, input: { name: 'Renamed', stockQuantity: 0, category: 'clearance' } },
      { token: adminToken },
    );
    expect(response.errors).toBeUndefined();
    const updated = response.data!.updateProduct;
    expect(updated).toMatchObject({ name: 'Renamed', stockQuantity: 0, inStock: false, category: 'clearance', description: 'Description 1', sku: existing.sku });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(existing.updatedAt));
    expect(await read(existing.id)).toEqual(updated);
  });

  it('changes a price', async () => {
    const response = await graphql<{ changeProductPrice: ProductView }>(
      system.urls.gateway,
      CHANGE_PRICE,
      { id: existing.id, price: { amount: 777, currency: 'GBP' } },
      { token: adminToken },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.changeProductPrice.price).toEqual({ amount: 777, currency: 'GBP' });
    expect((await read(existing.id))!.price).toEqual({ amount: 777, currency: 'GBP' });
  });
});

describe('refusals', () => {
  const attempts = () => [
    { name: 'createProduct', query: CREATE_PRODUCT, variables: { input: productInput(90, { sku: 'REFUSED-1' }) } },
    { name: 'updateProduct', query: UPDATE, variables: { id: existing.id, input: { name: 'Hijacked' } } },
    { name: 'changeProductPrice', query: CHANGE_PRICE, variables: { id: existing.id, price: { amount: 1, currency: 'USD' } } },
  ];

  it('refuses every mutation to a customer with FORBIDDEN and changes nothing', async () => {
    const before = await read(existing.id);
    const count = await productsCount();
    const messages: string[] = [];
    for (const attempt of attempts()) {
      const response = await graphql(system.urls.gateway, attempt.query, attempt.variables, { token: customerToken });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(response.data).toBeNull();
      messages.push(response.errors![0]!.message);
    }
    expect(messages).toEqual(['only an admin may create products', 'only an admin may update products', 'only an admin may change prices']);
    expect(await read(existing.id)).toEqual(before);
    expect(await productsCount()).toBe(count);
  });

  it('refuses every mutation to an anonymous caller with UNAUTHENTICATED and changes nothing', async () => {
    const before = await read(existing.id);
    const count = await productsCount();
    for (const attempt of attempts()) {
      const response = await graphql(system.urls.gateway, attempt.query, attempt.variables);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.errors![0]!.message).toMatch(/^you must be signed in to .+: send Authorization: Bearer <token>$/);
    }
    expect(await read(existing.id)).toEqual(before);
    expect(await productsCount()).toBe(count);
  });
});

describe('bad tokens are UNAUTHENTICATED, never anonymous access', () => {
  const expiredAdminToken = () =>
    new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin-1')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));

  it.each([
    ['an expired token', async () => `Bearer ${await expiredAdminToken()}`, 'invalid token: it has expired'],
    ['a token signed with another secret', async () => `Bearer ${await signDevToken({ sub: 'admin-1', roles: ['admin'] }, 'not-the-secret-0123456789abcdef0123456789')}`, 'invalid token: the signature does not verify'],
    ['a token that is not a JWT', async () => 'Bearer abc.def.ghi', 'invalid token: it is not a well-formed JWT'],
    ['a non-Bearer Authorization header', async () => 'Basic YWRtaW46YWRtaW4=', 'the Authorization header must be "Bearer <token>"'],
  ])('refuses %s, even for a read anyone may do', async (_label, authorization, message) => {
    const header = await authorization();
    const readResponse = await graphql(system.urls.gateway, `{ products(first: 1) { edges { cursor } } }`, {}, { headers: { authorization: header } });
    expect(readResponse.status).toBe(401);
    expect(errorCodes(readResponse)).toEqual(['UNAUTHENTICATED']);
    expect(readResponse.errors![0]!.message).toBe(message);
    expect(readResponse.data).toBeUndefined();

    const count = await productsCount();
    const write = await graphql(system.urls.gateway, CREATE_PRODUCT, { input: productInput(91, { sku: 'BAD-TOKEN-1' }) }, { headers: { authorization: header } });
    expect(errorCodes(write)).toEqual(['UNAUTHENTICATED']);
    expect(await productsCount()).toBe(count);
  });
});
