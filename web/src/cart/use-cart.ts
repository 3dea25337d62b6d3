import { useSyncExternalStore } from 'react';
import type { Cart } from './cart';
import { CART_KEY, CartStore } from './cart-store';

export const cartStore = new CartStore(window.localStorage, () => crypto.randomUUID());

window.addEventListener('storage', (event) => {
  if (event.key === CART_KEY || event.key === null) cartStore.reload();
});

export function useCart(): Cart {
  return useSyncExternalStore(cartStore.subscribe, cartStore.getSnapshot);
}
