import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Caller } from '../../../lib/auth';
import { ManualClock, startTestCatalog, type TestCatalog } from '../../../test/support/catalog';
import { changeProductPrice } from '../application/change-product-price';
import { createProduct } from '../application/create-product';
import { updateProduct } from '../application/update-product';
import type { Product } from '../domain/product';

const ADMIN: Caller = { sub: 'admin-1', roles: ['admin'] };
const CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=60';
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';

let service: TestCatalog;
const clock = new ManualClock(Date.UTC(2026, 2, 1, 10, 0, 0, 250));
let headphones: Product;
let kettle: Product;

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers });

async function json(response: Response): Promise<Record<string, unknown>> {
  return JSON.parse(await response.text()) as Record<string, unknown>;
}

beforeAll(async () => {
  service = await startTestCatalog('rest', { clock });
  headphones = await createProduct(service.catalog.deps, ADMIN, {
    sku: 'REST-HEADPHONES',
    name: 'Headphones',
    description: 'Over-ear',
    category: 'electronics',
    price: { amount: 19999, currency: 'USD' },
    stockQuantity: 4,
  });
  clock.advance(10);
  kettle = await createProduct(service.catalog.deps, ADMIN, {
    sku: 'REST-KETTLE',
    name: 'Kettle',
    category: 'Home Kitchen',
    price: { amount: 3999, currency: 'EUR' },
    stockQuantity: 0,
  });
});
afterAll(() => service?.stop());

describe('GET /products/:id', () => {
  it('serves the product with caching headers', async () => {
    const response = await get(`/products/${headphones.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe(CACHE_CONTROL);
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(response.headers.get('last-modified')).toBe('Sun, 01 Mar 2026 10:00:00 GMT');
    expect(response.headers.get('cache-tags')).toBe(`product:${headphones.id},category:electronics`);
    expect(await json(response)).toEqual({
      id: headphones.id,
      sku: 'REST-HEADPHONES',
      name: 'Headphones',
      description: 'Over-ear',
      category: 'electronics',
      price: { amount: 19999, currency: 'USD' },
      stockQuantity: 4,
      inStock: true,
      createdAt: '2026-03-01T10:00:00.250Z',
      updatedAt: '2026-03-01T10:00:00.250Z',
    });
  });

  it('serves the same strong ETag while the product is unchanged', async () => {
    const first = await get(`/products/${headphones.id}`);
    const second = await get(`/products/${headphones.id}`);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(first.headers.get('etag')).not.toMatch(/^W\//);
  });

  it('answers a matching If-None-Match with 304, no body, and the same validators', async () => {
    const etag = (await get(`/products/${headphones.id}`)).headers.get('etag')!;
    const response = await get(`/products/${headphones.id}`, { 'if-none-match': etag });
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
    expect(response.headers.get('etag')).toBe(etag);
    expect(response.headers.get('cache-control')).toBe(CACHE_CONTROL);
    expect(response.headers.get('cache-tags')).toBe(`product:${headphones.id},category:electronics`);
    expect((await get(`/products/${headphones.id}`, { 'if-none-match': `"stale", ${etag}` })).status).toBe(304);
    expect((await get(`/products/${headphones.id}`, { 'if-none-match': '"something-else"' })).status).toBe(200);
  });

  it('answers If-Modified-Since at or after Last-Modified with 304 and an earlier one with 200', async () => {
    const lastModified = (await get(`/products/${headphones.id}`)).headers.get('last-modified')!;
    const notModified = await get(`/products/${headphones.id}`, { 'if-modified-since': lastModified });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect((await get(`/products/${headphones.id}`, { 'if-modified-since': 'Sun, 01 Mar 2026 09:59:59 GMT' })).status).toBe(200);
    // If-None-Match takes precedence (RFC 9110 13.2.2).
    expect((await get(`/products/${headphones.id}`, { 'if-none-match': '"other"', 'if-modified-since': lastModified })).status).toBe(200);
  });

  it('changes the ETag and Last-Modified whenever the product changes', async () => {
    const before = await get(`/products/${kettle.id}`);
    const etagBefore = before.headers.get('etag')!;
    const etags = new Set([etagBefore]);

    clock.advance(60);
    await updateProduct(service.catalog.deps, ADMIN, kettle.id, { stockQuantity: 12 });
    const afterStock = await get(`/products/${kettle.id}`);
    etags.add(afterStock.headers.get('etag')!);
    expect(afterStock.headers.get('last-modified')).toBe('Sun, 01 Mar 2026 10:01:10 GMT');
    expect((await json(afterStock))['stockQuantity']).toBe(12);

    clock.advance(60);
    await changeProductPrice(service.catalog.deps, ADMIN, kettle.id, { amount: 3499, currency: 'EUR' });
    const afterPrice = await get(`/products/${kettle.id}`);
    etags.add(afterPrice.headers.get('etag')!);
    expect(afterPrice.headers.get('last-modified')).toBe('Sun, 01 Mar 2026 10:02:10 GMT');

    expect(etags.size).toBe(3);
    const revalidated = await get(`/products/${kettle.id}`, { 'if-none-match': etagBefore });
    expect(revalidated.status).toBe(200);
    expect((await json(revalidated))['price']).toEqual({ amount: 3499, currency: 'EUR' });
  });

  it('names the category in Cache-Tags, URI-encoded when it holds spaces', async () => {
    expect((await get(`/products/${kettle.id}`)).headers.get('cache-tags')).toBe(`product:${kettle.id},category:Home%20Kitchen`);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(`${service.url}/products/${headphones.id}`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe((await get(`/products/${headphones.id}`)).headers.get('etag'));
    expect(await response.text()).toBe('');
  });

  it('answers an unknown id with 404 and a JSON error', async () => {
    const response = await get(`/products/${UNKNOWN_ID}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await json(response)).toEqual({ error: { code: 'NOT_FOUND', message: `no product with id "${UNKNOWN_ID}"` } });
  });

  it.each([
    ['a non-UUID id', '/products/not-a-uuid', 'product id must be a UUID, got "not-a-uuid"'],
    ['a malformed percent escape', '/products/%E0%A4%A', 'product id must be a UUID, got "%E0%A4%A"'],
    ['a lone percent sign', '/products/%', 'product id must be a UUID, got "%"'],
  ])('answers %s with 400 and a JSON error', async (_label, path, message) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json(response)).toEqual({ error: { code: 'BAD_USER_INPUT', message } });
  });

  it('refuses writes with 405 and names the allowed methods', async () => {
    const response = await fetch(`${service.url}/products/${headphones.id}`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(((await json(response))['error'] as { code: string }).code).toBe('BAD_USER_INPUT');
  });
});

describe('GET /products?ids=a,b', () => {
  it('serves the known products, lists the unknown ids, and tags every product and category', async () => {
    const response = await get(`/products?ids=${headphones.id},${UNKNOWN_ID},${kettle.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(CACHE_CONTROL);
    expect(response.headers.get('cache-tags')).toBe(`product:${headphones.id},category:electronics,product:${kettle.id},category:Home%20Kitchen`);
    const body = (await json(response)) as { products: { id: string }[]; notFound: string[] };
    expect(body.products.map((product) => product.id)).toEqual([headphones.id, kettle.id]);
    expect(body.notFound).toEqual([UNKNOWN_ID]);
    // The newest change among the products.
    const newest = new Date(Math.max(...body.products.map((product) => Date.parse((product as unknown as { updatedAt: string }).updatedAt))));
    expect(response.headers.get('last-modified')).toBe(newest.toUTCString());
  });

  it('revalidates the batch with 304', async () => {
    const path = `/products?ids=${headphones.id},${kettle.id}`;
    const etag = (await get(path)).headers.get('etag')!;
    const response = await get(path, { 'if-none-match': etag });
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
  });

  it('accepts 100 ids and refuses 101 with 400', async () => {
    const unknown = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const hundred = [headphones.id, ...Array.from({ length: 99 }, (_, n) => unknown(n))];
    const ok = await get(`/products?ids=${hundred.join(',')}`);
    expect(ok.status).toBe(200);
    expect(((await json(ok)) as { notFound: string[] }).notFound).toHaveLength(99);
    const tooMany = await get(`/products?ids=${[...hundred, unknown(500)].join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(await json(tooMany)).toEqual({ error: { code: 'BAD_USER_INPUT', message: 'at most 100 ids per request, got 101' } });
  });

  it('answers 404 when no id names a product', async () => {
    const response = await get(`/products?ids=${UNKNOWN_ID}`);
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'NOT_FOUND', message: 'none of the 1 ids names a product' } });
  });

  it.each([
    ['no ids parameter', '/products', 'the ids query parameter is required, e.g. /products?ids=<id>,<id>'],
    ['a malformed id among good ones', `/products?ids=KNOWN_ID,nope`, 'every id must be a UUID; not UUIDs: "nope"'],
    ['an empty ids parameter', '/products?ids=', 'every id must be a UUID; not UUIDs: ""'],
  ])('answers %s with 400', async (_label, path, message) => {
    const response = await get(path.replace('KNOWN_ID', headphones.id));
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'BAD_USER_INPUT', message } });
  });
});

describe('REST freshness option', () => {
  it('serves the configured max-age and stale-while-revalidate', async () => {
    const short = await startTestCatalog('rest-short', { restCache: { maxAgeSeconds: 5, staleWhileRevalidateSeconds: 2 } });
    try {
      const product = await createProduct(short.catalog.deps, ADMIN, {
        sku: 'REST-SHORT',
        name: 'Short-lived',
        category: 'tests',
        price: { amount: 1, currency: 'USD' },
        stockQuantity: 1,
      });
      const response = await fetch(`${short.url}/products/${product.id}`);
      expect(response.headers.get('cache-control')).toBe('public, max-age=5, stale-while-revalidate=2');
    } finally {
      await short.stop();
    }
  });
});
