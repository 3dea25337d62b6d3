import { describe, expect, it } from '@jest/globals';
import { addToCart, CartLimitError, emptyCart, idempotencyKey, itemCount, MAX_LINES, parseCart, removeLine, setQuantity } from './cart';
import { CART_KEY, CartStore } from './cart-store';

let counter = 0;
const newId = () => `cart${(counter += 1)}`;
const usd = (amount: number) => ({ amount, currency: 'USD' });
const book = { id: 'p-1', name: 'Refactoring', price: usd(4499) };
const mug = { id: 'p-2', name: 'Mug', price: usd(2999) };

describe('cart', () => {
  it('merges the same product into one line and counts items', () => {
    let cart = addToCart(emptyCart(newId), book);
    cart = addToCart(cart, mug, 2);
    cart = addToCart(cart, book, 3);
    expect(cart.lines.map((line) => [line.productId, line.quantity])).toEqual([
      ['p-1', 4],
      ['p-2', 2],
    ]);
    expect(itemCount(cart)).toBe(6);
  });

  it('gives every change a new idempotency key and keeps it while the cart is unchanged', () => {
    const cart = addToCart(emptyCart(() => 'abc'), book);
    expect(idempotencyKey(cart)).toBe('cart-abc-1');
    expect(idempotencyKey(cart)).toBe(idempotencyKey(cart));
    const changed = setQuantity(cart, 'p-1', 2);
    expect(idempotencyKey(changed)).toBe('cart-abc-2');
    expect(idempotencyKey(removeLine(changed, 'p-1'))).toBe('cart-abc-3');
  });

  it('refuses quantities and line counts beyond the order limits', () => {
    const cart = addToCart(emptyCart(newId), book, 1000);
    expect(() => addToCart(cart, book)).toThrow(new CartLimitError('A quantity must be a whole number from 1 to 1000; got 1001.'));
    expect(() => setQuantity(cart, 'p-1', 0)).toThrow('got 0');
    expect(() => setQuantity(cart, 'p-1', 1.5)).toThrow('got 1.5');
    let full = emptyCart(newId);
    for (let i = 0; i < MAX_LINES; i += 1) full = addToCart(full, { ...book, id: `p-${i}` });
    expect(() => addToCart(full, { ...book, id: 'p-extra' })).toThrow('An order holds at most 50 different products.');
  });

  it('reads back what it stored and replaces anything tampered with by an empty cart', () => {
    const cart = addToCart(emptyCart(() => 'keep'), book, 2);
    expect(parseCart(JSON.stringify(cart), newId)).toEqual(cart);
    for (const bad of ['not json', '{"id":"x","revision":1,"lines":[{"productId":"p","name":"n","quantity":5000,"unitPrice":{"amount":1,"currency":"USD"}}]}', '{"id":"<script>","revision":0,"lines":[]}', '[]']) {
      const parsed = parseCart(bad, () => 'fresh');
      expect(parsed).toEqual({ id: 'fresh', revision: 0, lines: [] });
    }
  });
});

describe('CartStore', () => {
  it('persists each change, notifies subscribers and starts a new cart after an order', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (key: string) => data.get(key) ?? null, setItem: (key: string, value: string) => void data.set(key, value) };
    const store = new CartStore(storage, () => 'first');
    const seen: number[] = [];
    store.subscribe(() => seen.push(itemCount(store.getSnapshot())));
    store.update((cart) => addToCart(cart, book, 2));
    expect(JSON.parse(data.get(CART_KEY)!)).toMatchObject({ id: 'first', revision: 1, lines: [{ productId: 'p-1', quantity: 2 }] });
    expect(new CartStore(storage, newId).getSnapshot()).toEqual(store.getSnapshot());
    store.clear();
    expect(store.getSnapshot().lines).toEqual([]);
    expect(seen).toEqual([2, 0]);
  });
});
