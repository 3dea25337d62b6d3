import { useState } from 'react';
import { addToCart, CartLimitError } from '../cart/cart';
import { cartStore } from '../cart/use-cart';
import type { MoneyValue } from '../format/money';

interface Props {
  readonly product: { id: string; name: string; price: MoneyValue; inStock: boolean };
  /** Shows a quantity field (the product page); the list adds one at a time. */
  readonly withQuantity?: boolean;
  readonly onAdded: (message: string) => void;
}

export function AddToCart({ product, withQuantity = false, onAdded }: Props) {
  const [quantity, setQuantity] = useState('1');
  const [problem, setProblem] = useState<string | undefined>();
  const fieldId = `quantity-${product.id}`;

  const add = () => {
    const count = withQuantity ? Number(quantity) : 1;
    try {
      cartStore.update((cart) => addToCart(cart, product, count));
      setProblem(undefined);
      onAdded(`Added ${count} × ${product.name} to your cart.`);
    } catch (error) {
      if (!(error instanceof CartLimitError)) throw error;
      setProblem(error.message);
    }
  };

  return (
    <div className="add-to-cart">
      {withQuantity ? (
        <>
          <label htmlFor={fieldId}>Quantity</label>
          <input id={fieldId} type="number" inputMode="numeric" min={1} max={1000} step={1} value={quantity} onChange={(event) => setQuantity(event.target.value)} />
        </>
      ) : null}
      <button type="button" onClick={add} disabled={!product.inStock} aria-label={`Add ${product.name} to cart`}>
        {product.inStock ? 'Add to cart' : 'Out of stock'}
      </button>
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
