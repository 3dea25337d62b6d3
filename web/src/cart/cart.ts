import type { MoneyValue } from '../format/money';

/** The contract's limits on an order (docs/architecture.md §2): 1..1000 units per line, 1..50 lines. */
export const MAX_QUANTITY = 1000;
export const MAX_LINES = 50;

export interface CartLine {
  readonly productId: string;
  /** Name and price when added, shown until the product page or the order says otherwise. */
  readonly name: string;
  readonly unitPrice: MoneyValue;
  readonly quantity: number;
}

/**
 * A cart lives in the browser. Its id and revision make the idempotency key of the order placed from it: placing
 * the same cart twice (a double click, a retry after a lost answer) returns the first order, while any change
 * to the cart makes a new key, so a changed cart is never answered with an older order.
 */
export interface Cart {
  readonly id: string;
  readonly revision: number;
  readonly lines: readonly CartLine[];
}

export class CartLimitError extends Error {}

export function emptyCart(newId: () => string): Cart {
  return { id: newId(), revision: 0, lines: [] };
}

export function idempotencyKey(cart: Cart): string {
  return `cart-${cart.id}-${cart.revision}`;
}

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new CartLimitError(`A quantity must be a whole number from 1 to ${MAX_QUANTITY}; got ${quantity}.`);
  }
}

function revise(cart: Cart, lines: readonly CartLine[]): Cart {
  return { id: cart.id, revision: cart.revision + 1, lines };
}

export function addToCart(cart: Cart, product: { id: string; name: string; price: MoneyValue }, quantity = 1): Cart {
  const existing = cart.lines.find((line) => line.productId === product.id);
  const total = (existing?.quantity ?? 0) + quantity;
  checkQuantity(total);
  if (!existing && cart.lines.length >= MAX_LINES) {
    throw new CartLimitError(`An order holds at most ${MAX_LINES} different products.`);
  }
  const line: CartLine = { productId: product.id, name: product.name, unitPrice: product.price, quantity: total };
  return revise(cart, existing ? cart.lines.map((l) => (l === existing ? line : l)) : [...cart.lines, line]);
}

export function setQuantity(cart: Cart, productId: string, quantity: number): Cart {
  checkQuantity(quantity);
  return revise(cart, cart.lines.map((line) => (line.productId === productId ? { ...line, quantity } : line)));
}

export function removeLine(cart: Cart, productId: string): Cart {
  return revise(cart, cart.lines.filter((line) => line.productId !== productId));
}

export function itemCount(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}

const ID = /^[A-Za-z0-9-]{1,64}$/;
const CURRENCY = /^[A-Z]{3}$/;

function isLine(value: unknown): value is CartLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  const price = line['unitPrice'] as Record<string, unknown> | null | undefined;
  return (
    typeof line['productId'] === 'string' &&
    line['productId'].length > 0 &&
    line['productId'].length <= 200 &&
    typeof line['name'] === 'string' &&
    typeof line['quantity'] === 'number' &&
    Number.isInteger(line['quantity']) &&
    line['quantity'] >= 1 &&
    line['quantity'] <= MAX_QUANTITY &&
    typeof price === 'object' &&
    price !== null &&
    Number.isSafeInteger(price['amount']) &&
    typeof price['currency'] === 'string' &&
    CURRENCY.test(price['currency'])
  );
}

/** Reads a stored cart; anything unreadable or tampered with yields a new empty cart rather than a broken page. */
export function parseCart(text: string | null, newId: () => string): Cart {
  if (!text) return emptyCart(newId);
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const lines = value['lines'];
    if (
      typeof value['id'] === 'string' &&
      ID.test(value['id']) &&
      Number.isSafeInteger(value['revision']) &&
      Array.isArray(lines) &&
      lines.length <= MAX_LINES &&
      lines.every(isLine)
    ) {
      return { id: value['id'], revision: value['revision'] as number, lines };
    }
  } catch {
    // falls through to a new cart
  }
  return emptyCart(newId);
}
