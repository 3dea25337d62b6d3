import { sumMoney, type MoneyValue } from '../format/money';
import type { Cart } from './cart';

/** What the cart's lines add up to, or 'mixed' when they are in several currencies (an order never mixes them). */
export function cartTotal(cart: Cart): MoneyValue | 'mixed' | undefined {
  try {
    return sumMoney(cart.lines.map((line) => ({ amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency })));
  } catch {
    return 'mixed';
  }
}
