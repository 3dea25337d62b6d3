import { describe, expect, it } from '@jest/globals';
import { ErrorCode, ValidationError } from '../../../lib/ddd';
import { Product, type NewProduct } from './product';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const T1 = new Date('2026-03-01T11:00:00.000Z');
const ID = '6f1c2a3e-0000-4000-8000-000000000001';

const valid: NewProduct = {
  sku: 'BOOK-DDD-01',
  name: 'Domain-Driven Design',
  description: 'Tackling complexity.',
  category: 'books',
  price: { amount: 5499, currency: 'USD' },
  stockQuantity: 30,
};

const create = (overrides: Partial<NewProduct> = {}) => Product.create({ ...valid, ...overrides }, { id: ID, now: T0 });

function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('Product.create', () => {
  it('builds the product and records product.created', () => {
    const product = create();
    expect(product.snapshot()).toEqual({
      id: ID,
      sku: 'BOOK-DDD-01',
      name: 'Domain-Driven Design',
      description: 'Tackling complexity.',
      category: 'books',
      price: { amount: 5499, currency: 'USD' },
      stockQuantity: 30,
      reservedQuantity: 0,
      createdAt: T0,
      updatedAt: T0,
      version: 1,
    });
    expect(product.inStock).toBe(true);
    expect(product.peekEvents()).toEqual([
      {
        type: 'product.created',
        occurredAt: T0.toISOString(),
        data: {
          productId: ID,
          sku: 'BOOK-DDD-01',
          category: 'books',
          name: 'Domain-Driven Design',
          price: { amount: 5499, currency: 'USD' },
          stockQuantity: 30,
        },
      },
    ]);
  });

  it('trims text, defaults the description to empty, and is out of stock at zero', () => {
    const product = create({ name: '  Refactoring  ', description: null, category: ' books ', stockQuantity: 0 });
    expect(product.name).toBe('Refactoring');
    expect(product.description).toBe('');
    expect(product.category).toBe('books');
    expect(product.inStock).toBe(false);
  });

  it('accepts a name of 1 and of 200 characters', () => {
    expect(create({ name: 'X' }).name).toBe('X');
    expect(create({ name: 'N'.repeat(200) }).name).toHaveLength(200);
  });

  it.each([
    ['an empty name', { name: '' }, 'name', 'name must be 1-200 characters, got 0 ("")'],
    ['a blank name', { name: '   ' }, 'name', 'name must be 1-200 characters, got 0 ("   ")'],
    ['a 201-character name', { name: 'N'.repeat(201) }, 'name', 'name must be 1-200 characters, got 201 ('],
    ['a negative stock', { stockQuantity: -1 }, 'stockQuantity', 'stockQuantity must be at least 0, got -1'],
    ['a fractional stock', { stockQuantity: 1.5 }, 'stockQuantity', 'stockQuantity must be an integer, got 1.5'],
    ['a negative price', { price: { amount: -100, currency: 'USD' } }, 'price.amount', 'price.amount must not be negative, got -100'],
    ['a bad currency', { price: { amount: 100, currency: 'dollars' } }, 'price.currency', 'price.currency must be an ISO 4217 currency code such as USD, EUR or JPY, got "dollars"'],
    ['a bad SKU', { sku: 'bad sku' }, 'sku', 'sku must be upper-case letters, digits and dashes, 3-64 characters, got "bad sku"'],
    ['a 2001-character description', { description: 'd'.repeat(2001) }, 'description', 'description must be at most 2000 characters, got 2001 ('],
    ['an empty category', { category: '' }, 'category', 'category must be 1-64 characters, got 0 ("")'],
    ['a category with a separator', { category: 'books#1' }, 'category', 'category must be letters, digits, spaces'],
    ['a category starting with a dash', { category: '-books' }, 'category', 'category must be letters, digits, spaces'],
  ])('rejects %s with BAD_USER_INPUT naming the field and the value', (_label, overrides, field, message) => {
    const error = validationErrorOf(() => create(overrides));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(message)).toBe(true);
  });
});

describe('Product.update', () => {
  const stored = () => {
    const product = create();
    product.pullEvents();
    return product;
  };

  it('changes only the given fields and records which ones changed', () => {
    const product = stored();
    product.update({ name: 'DDD', stockQuantity: 5, description: null, category: undefined }, T1);
    expect(product.name).toBe('DDD');
    expect(product.stockQuantity).toBe(5);
    expect(product.description).toBe('Tackling complexity.');
    expect(product.category).toBe('books');
    expect(product.createdAt).toEqual(T0);
    expect(product.updatedAt).toEqual(T1);
    expect(product.pullEvents()).toEqual([
      {
        type: 'product.updated',
        occurredAt: T1.toISOString(),
        data: { productId: ID, sku: 'BOOK-DDD-01', category: 'books', changed: ['name', 'stockQuantity'] },
      },
    ]);
    // The restock is stored only if the available quantity is still the one read (holds change it meanwhile).
    expect(product.pendingRestock).toEqual({ from: 30, to: 5 });
    expect(product.peekEvents()).toEqual([]);
  });

  it('names the previous category when the category changes', () => {
    const product = stored();
    product.update({ category: 'software' }, T1);
    expect(product.pullEvents()[0]?.data).toEqual({
      productId: ID,
      sku: 'BOOK-DDD-01',
      category: 'software',
      changed: ['category'],
      previousCategory: 'books',
    });
  });

  it('records nothing and keeps updatedAt when nothing changes', () => {
    const product = stored();
    product.update({ name: 'Domain-Driven Design', stockQuantity: 30 }, T1);
    product.update({}, T1);
    expect(product.updatedAt).toEqual(T0);
    expect(product.peekEvents()).toEqual([]);
  });

  it('rejects an invalid change without applying any part of it', () => {
    const product = stored();
    const error = validationErrorOf(() => product.update({ name: 'Renamed', stockQuantity: -3 }, T1));
    expect(error.field).toBe('stockQuantity');
    expect(error.message).toBe('stockQuantity must be at least 0, got -3');
    expect(product.name).toBe('Domain-Driven Design');
    expect(product.stockQuantity).toBe(30);
    expect(product.peekEvents()).toEqual([]);
  });
});

describe('Product.changePrice', () => {
  it('records the old and the new price', () => {
    const product = create();
    product.pullEvents();
    product.changePrice({ amount: 4999, currency: 'USD' }, T1);
    expect(product.price).toEqual({ amount: 4999, currency: 'USD' });
    expect(product.updatedAt).toEqual(T1);
    expect(product.pullEvents()).toEqual([
      {
        type: 'product.price.changed',
        occurredAt: T1.toISOString(),
        data: { productId: ID, sku: 'BOOK-DDD-01', category: 'books', oldPrice: { amount: 5499, currency: 'USD' }, newPrice: { amount: 4999, currency: 'USD' } },
      },
    ]);
  });

  it('treats a change of currency alone as a price change', () => {
    const product = create();
    product.pullEvents();
    product.changePrice({ amount: 5499, currency: 'EUR' }, T1);
    expect(product.peekEvents()).toHaveLength(1);
  });

  it('records nothing for the same price', () => {
    const product = create();
    product.pullEvents();
    product.changePrice({ amount: 5499, currency: 'USD' }, T1);
    expect(product.updatedAt).toEqual(T0);
    expect(product.peekEvents()).toEqual([]);
  });

  it('rejects a negative amount or a bad currency and keeps the old price', () => {
    const product = create();
    product.pullEvents();
    expect(validationErrorOf(() => product.changePrice({ amount: -1, currency: 'USD' }, T1)).field).toBe('price.amount');
    expect(validationErrorOf(() => product.changePrice({ amount: 1, currency: 'US' }, T1)).field).toBe('price.currency');
    expect(product.price).toEqual({ amount: 5499, currency: 'USD' });
    expect(product.peekEvents()).toEqual([]);
  });
});

describe('Product.restore', () => {
  it('rebuilds stored state without recording events', () => {
    const state = { ...create().snapshot(), version: 7 };
    const restored = Product.restore(state);
    expect(restored.snapshot()).toEqual(state);
    expect(restored.version).toBe(7);
    expect(restored.peekEvents()).toEqual([]);
  });
});
