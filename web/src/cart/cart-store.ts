import { emptyCart, parseCart, type Cart } from './cart';

export const CART_KEY = 'shop.cart.v1';

type Listener = () => void;

/**
 * The cart in localStorage, shared by every tab of the shop: a change in one tab reaches the others through the
 * `storage` event. Components read it with useSyncExternalStore (subscribe + getSnapshot).
 */
export class CartStore {
  private cart: Cart;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'>,
    private readonly newId: () => string,
  ) {
    this.cart = parseCart(storage.getItem(CART_KEY), newId);
  }

  readonly getSnapshot = (): Cart => this.cart;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(change: (cart: Cart) => Cart): void {
    this.set(change(this.cart));
  }

  /** After an order is placed from it: a new cart, with a new id and so new idempotency keys. */
  clear(): void {
    this.set(emptyCart(this.newId));
  }

  /** Another tab wrote the cart. */
  reload(): void {
    this.cart = parseCart(this.storage.getItem(CART_KEY), this.newId);
    this.emit();
  }

  private set(cart: Cart): void {
    this.cart = cart;
    try {
      this.storage.setItem(CART_KEY, JSON.stringify(cart));
    } catch {
      // Storage full or disabled (private mode): the cart still works for this page.
    }
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
