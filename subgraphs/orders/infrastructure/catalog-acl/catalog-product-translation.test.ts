import { describe, expect, it } from '@jest/globals';
import { isCatalogNotFound, translateCatalogProduct, translateCatalogProductBody } from './catalog-product-translation';

const ID = '3f0c2a8e-8a4b-4c55-9f4e-2d8b6a1e7c10';

/** Catalog's representation as published by GET /products/:id (product-representation.ts). */
const representation = {
  id: ID,
  sku: 'DESK-LAMP-1',
  name: 'Desk lamp',
  description: 'A lamp',
  category: 'Home & Garden',
  price: { amount: 2_499, currency: 'EUR' },
  stockQuantity: 12,
  inStock: true,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
};

describe('translating Catalog products', () => {
  it("keeps only what Orders needs, in Orders' terms", () => {
    expect(translateCatalogProduct(representation, ID)).toEqual({
      ok: true,
      product: { id: ID, name: 'Desk lamp', unitPrice: { amount: 2_499, currency: 'EUR' }, availableQuantity: 12 },
    });
  });

  it('ignores fields Catalog adds later (tolerant reader)', () => {
    const translated = translateCatalogProduct({ ...representation, supplierId: 'S-1', discountedPrice: 1 }, ID);
    expect(translated.ok && Object.keys(translated.product).sort()).toEqual(['availableQuantity', 'id', 'name', 'unitPrice']);
  });

  it.each([
    ['a fractional amount', { price: { amount: 24.99, currency: 'EUR' } }, 'price.amount'],
    ['an amount as text', { price: { amount: '2499', currency: 'EUR' } }, 'price.amount'],
    ['a lower-case currency', { price: { amount: 2_499, currency: 'eur' } }, 'price.currency'],
    ['a negative stock', { stockQuantity: -1 }, 'stockQuantity'],
    ['an empty name', { name: '' }, 'name'],
    ['no stock figure', { stockQuantity: undefined }, 'stockQuantity'],
  ])('rejects %s, naming the field', (_label, change, field) => {
    const translated = translateCatalogProduct({ ...representation, ...change }, ID);
    expect(translated.ok).toBe(false);
    expect(!translated.ok && translated.problems.join('\n')).toContain(field);
  });

  it('rejects a product other than the one asked for', () => {
    const translated = translateCatalogProduct(representation, '00000000-0000-4000-8000-000000000000');
    expect(!translated.ok && translated.problems).toEqual([`id: asked for 00000000-0000-4000-8000-000000000000, got ${ID}`]);
  });

  it('rejects a body that is not JSON', () => {
    expect(translateCatalogProductBody('<html>', ID)).toEqual({ ok: false, problems: ['(body): not JSON: "<html>"'] });
  });

  it("recognises Catalog's own 404 and nothing else", () => {
    expect(isCatalogNotFound(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no product with id "${ID}"` } }))).toBe(true);
    expect(isCatalogNotFound('<h1>Not Found</h1>')).toBe(false);
    expect(isCatalogNotFound(JSON.stringify({ error: { code: 'BAD_USER_INPUT' } }))).toBe(false);
  });
});
