import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { CREATE_PRODUCT, PRODUCT_FIELDS, productInput, type ProductView } from '../support/catalog';
import { graphql, type GraphQLResponse } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

/** Anonymous reads of the catalog through the real gateway: single products, pages, categories. */

interface Page {
  products: {
    edges: { cursor: string; node: ProductView }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const PAGE = `query Page($category: String, $first: Int, $after: String) {
  products(category: $category, first: $first, after: $after) {
    edges { cursor node { ${PRODUCT_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

let system: RunningSystem;
let adminToken: string;
const created: ProductView[] = [];

/** Listing order: creation time, then id (the index sort key). */
const listOrder = (products: readonly ProductView[]) =>
  [...products].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((product) => product.id);

async function walk(category: string | undefined, first: number): Promise<{ ids: string[]; pages: Page['products'][] }> {
  const pages: Page['products'][] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard += 1) {
    const response: GraphQLResponse<Page> = await graphql<Page>(system.urls.gateway, PAGE, { category, first, after });
    expect(response.errors).toBeUndefined();
    const page: Page['products'] = response.data!.products;
    pages.push(page);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids: pages.flatMap((page) => page.edges.map((edge) => edge.node.id)), pages };
}

beforeAll(async () => {
  system = await startTestSystem('catalog-reads');
  adminToken = await tokenFor('admin-1', { admin: true });
  for (let n = 1; n <= 25; n += 1) {
    const category = n % 3 === 0 ? 'garden' : 'gadgets';
    const response = await graphql<{ createProduct: ProductView }>(system.urls.gateway, CREATE_PRODUCT, { input: productInput(n, { category }) }, { token: adminToken });
    expect(response.errors).toBeUndefined();
    created.push(response.data!.createProduct);
  }
});
afterAll(() => system?.stop());

describe('product(id:)', () => {
  it('serves every field of a product to an anonymous caller', async () => {
    const target = created[3]!;
    const response = await graphql<{ product: ProductView }>(system.urls.gateway, `query($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`, { id: target.id });
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data!.product).toEqual({
      id: target.id,
      sku: 'E2E-0004',
      name: 'Product 4',
      description: 'Description 4',
      category: 'gadgets',
      price: { amount: 104, currency: 'USD' },
      stockQuantity: 4,
      inStock: true,
      createdAt: target.createdAt,
      updatedAt: target.createdAt,
    });
    expect(new Date(target.createdAt).toISOString()).toBe(target.createdAt);
    expect(created[4]!.inStock).toBe(false);
  });

  it('answers null without an error for an unknown id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'no-such-product', 'x'.repeat(3000)]) {
      const response = await graphql<{ product: ProductView | null }>(system.urls.gateway, `query($id: ID!) { product(id: $id) { id name } }`, { id });
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ product: null });
    }
  });

  it('serves fresh data on every request: loaders are never shared between requests', async () => {
    const target = created[0]!;
    const read = () => graphql<{ product: ProductView }>(system.urls.gateway, `query($id: ID!) { product(id: $id) { name stockQuantity } }`, { id: target.id });
    expect((await read()).data!.product).toEqual({ name: 'Product 1', stockQuantity: 1 });
    const update = await graphql(
      system.urls.gateway,
      `mutation($id: ID!) { updateProduct(id: $id, input: { name: "Renamed 1", stockQuantity: 9 }) { id } }`,
      { id: target.id },
      { token: adminToken },
    );
    expect(update.errors).toBeUndefined();
    expect((await read()).data!.product).toEqual({ name: 'Renamed 1', stockQuantity: 9 });
  });
});

describe('products', () => {
  it('pages across all products with no duplicates or gaps', async () => {
    const { ids, pages } = await walk(undefined, 7);
    expect(pages.map((page) => page.edges.length)).toEqual([7, 7, 7, 4]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, true, false]);
    for (const page of pages) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    expect(new Set(ids).size).toBe(25);
    expect(ids).toEqual(listOrder(created));
  });

  it('pages within one category, in the order the products were added', async () => {
    const garden = created.filter((product) => product.category === 'garden');
    const { ids, pages } = await walk('garden', 3);
    expect(garden).toHaveLength(8);
    expect(pages.map((page) => page.edges.length)).toEqual([3, 3, 2]);
    expect(ids).toEqual(listOrder(garden));
    const gadgets = await walk('gadgets', 100);
    expect(gadgets.pages).toHaveLength(1);
    expect(gadgets.ids).toEqual(listOrder(created.filter((product) => product.category === 'gadgets')));
  });

  it('serves 20 products when first is not given', async () => {
    const response = await graphql<Page>(system.urls.gateway, `{ products { edges { node { id } } pageInfo { hasNextPage } } }`);
    expect(response.data!.products.edges).toHaveLength(20);
    expect(response.data!.products.pageInfo.hasNextPage).toBe(true);
  });

  it('serves an empty page for a category without products', async () => {
    const response = await graphql<Page>(system.urls.gateway, PAGE, { category: 'no-such-category', first: 10 });
    expect(response.errors).toBeUndefined();
    expect(response.data!.products).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('uses opaque cursors', async () => {
    const response = await graphql<Page>(system.urls.gateway, PAGE, { first: 1 });
    const cursor = response.data!.products.edges[0]!.cursor;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(response.data!.products.edges[0]!.node.id);
  });
});
