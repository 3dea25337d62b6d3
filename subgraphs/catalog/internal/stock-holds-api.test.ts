import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ORDERS_SERVICE, internalCommandKey, signRequest, type Identity } from '../../../lib/auth';
import { startTestCatalog, type TestCatalog } from '../../../test/support/catalog';
import { TEST_SIGNING_SECRET } from '../../../test/support/system';
import { createProduct } from '../application/create-product';

/**
 * Catalog's internal stock-holds command over real HTTP (the local Catalog service on port 0, DynamoDB Local): only
 * the Orders service identity, signed with the internal command key over that very request, may hold stock.
 * Everything else is refused before the command runs, and holds nothing.
 */

let catalog: TestCatalog;
let productId: string;
const PATH = '/internal/stock-holds';

beforeAll(async () => {
  catalog = await startTestCatalog('stock-holds-api');
  const product = await createProduct(catalog.catalog.deps, { sub: 'admin-1', roles: ['admin'] }, {
    sku: 'HOLD-API-1',
    name: 'Desk Lamp',
    category: 'lamps',
    price: { amount: 2599, currency: 'USD' },
    stockQuantity: 10,
  });
  productId = product.id;
});
afterAll(() => catalog?.stop());

const holdBody = (quantity = 2, orderId = randomUUID()) => JSON.stringify({ orderId, customerId: 'customer-1', lines: [{ productId, quantity }] });

async function send(body: string, headers: Record<string, string>): Promise<{ status: number; json: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  const response = await fetch(`${catalog.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, json: (await response.json()) as { error?: { code: string; message: string } } };
}

const signedBy = (caller: Identity, key: string, body: string, path = PATH) => signRequest({ caller, method: 'POST', path, body }, key);
const internalKey = () => internalCommandKey(TEST_SIGNING_SECRET);
const available = async () => (await catalog.catalog.deps.products.findById(productId))!.stockQuantity;

describe('the internal stock-holds command', () => {
  it('holds stock for the Orders service, answering the lines with Catalog’s own names and prices', async () => {
    const before = await available();
    const body = holdBody(2);
    const { status, json } = await send(body, signedBy(ORDERS_SERVICE, internalKey(), body));
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'HELD', lines: [{ productId, quantity: 2, productName: 'Desk Lamp', unitPrice: { amount: 2599, currency: 'USD' } }] });
    expect(await available()).toBe(before - 2);
  });

  it.each([
    ['no identity at all', () => ({}), 401, 'UNAUTHENTICATED'],
    ['the Orders identity signed with the gateway key (headers a gateway signs for clients)', (body: string) => signedBy(ORDERS_SERVICE, TEST_SIGNING_SECRET, body), 401, 'UNAUTHENTICATED'],
    ['a customer identity signed with the internal key', (body: string) => signedBy({ sub: 'customer-1', roles: [] }, internalKey(), body), 403, 'FORBIDDEN'],
    ['an admin identity signed with the internal key', (body: string) => signedBy({ sub: 'admin-1', roles: ['admin'] }, internalKey(), body), 403, 'FORBIDDEN'],
    ['a valid signature over another body', (body: string) => signedBy(ORDERS_SERVICE, internalKey(), body.replace('"quantity":2', '"quantity":1')), 401, 'UNAUTHENTICATED'],
    ['a valid signature for another path', (body: string) => signedBy(ORDERS_SERVICE, internalKey(), body, `${PATH}/x/release`), 401, 'UNAUTHENTICATED'],
  ] as const)('refuses %s, holding nothing', async (_label, headers, status, code) => {
    const before = await available();
    const body = holdBody(2);
    const answer = await send(body, headers(body));
    expect([answer.status, answer.json.error?.code]).toEqual([status, code]);
    expect(await available()).toBe(before);
  });

  it('refuses a body that is not JSON (400) and one over 64 KiB (413), holding nothing', async () => {
    const before = await available();
    const broken = '{"orderId": ';
    expect((await send(broken, signedBy(ORDERS_SERVICE, internalKey(), broken))).status).toBe(400);
    const huge = JSON.stringify({ orderId: randomUUID(), customerId: 'customer-1', lines: [{ productId, quantity: 1 }], padding: 'x'.repeat(70_000) });
    const tooLarge = await send(huge, signedBy(ORDERS_SERVICE, internalKey(), huge));
    expect([tooLarge.status, tooLarge.json.error?.code]).toEqual([413, 'BAD_USER_INPUT']);
    expect(await available()).toBe(before);
  });
});
