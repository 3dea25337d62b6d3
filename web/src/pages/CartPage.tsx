import { useState } from 'react';
import { Link, navigate } from '../app/router';
import { CartLimitError, MAX_QUANTITY, removeLine, setQuantity } from '../cart/cart';
import { cartTotal } from '../cart/cart-total';
import { cartStore, useCart } from '../cart/use-cart';
import { Money } from '../components/Money';
import { formatMoney } from '../format/money';
import { useSession } from '../session/SessionProvider';

export function CartPage() {
  const cart = useCart();
  const { session } = useSession();
  const [problem, setProblem] = useState<string | undefined>();
  const total = cartTotal(cart);

  const changeQuantity = (productId: string, value: string) => {
    try {
      cartStore.update((current) => setQuantity(current, productId, Number(value)));
      setProblem(undefined);
    } catch (caught) {
      if (!(caught instanceof CartLimitError)) throw caught;
      setProblem(caught.message);
    }
  };

  if (cart.lines.length === 0) {
    return (
      <section aria-labelledby="cart-heading">
        <h1 id="cart-heading">Your cart</h1>
        <p>
          Your cart is empty. <Link to="/">Browse the products</Link>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="cart-heading">
      <h1 id="cart-heading">Your cart</h1>
      <table className="cart">
        <caption className="visually-hidden">Products in your cart</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Unit price</th>
            <th scope="col">Quantity</th>
            <th scope="col">Line total</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {cart.lines.map((line) => (
            <tr key={line.productId}>
              <th scope="row">
                <Link to={`/products/${encodeURIComponent(line.productId)}`}>{line.name}</Link>
              </th>
              <td>
                <Money value={line.unitPrice} />
              </td>
              <td>
                <label className="visually-hidden" htmlFor={`cart-quantity-${line.productId}`}>
                  Quantity of {line.name}
                </label>
                <input
                  id={`cart-quantity-${line.productId}`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={MAX_QUANTITY}
                  step={1}
                  defaultValue={line.quantity}
                  key={`${line.productId}-${line.quantity}`}
                  onBlur={(event) => changeQuantity(line.productId, event.target.value)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') changeQuantity(line.productId, event.currentTarget.value);
                  }}
                />
              </td>
              <td>
                <Money value={{ amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency }} />
              </td>
              <td>
                <button type="button" onClick={() => cartStore.update((current) => removeLine(current, line.productId))} aria-label={`Remove ${line.name} from cart`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      {total === 'mixed' ? (
        <p role="alert" className="error">
          Your cart holds prices in several currencies, and an order is always in one: remove the products of all but one currency.
        </p>
      ) : total ? (
        <p className="total">
          Total: <strong>{formatMoney(total)}</strong> (prices are confirmed when you place the order)
        </p>
      ) : null}
      {session ? (
        <button type="button" className="primary" onClick={() => navigate('/checkout')} disabled={total === 'mixed'}>
          Check out
        </button>
      ) : (
        <p>
          <Link to="/sign-in?next=/cart">Sign in</Link> to place your order.
        </p>
      )}
    </section>
  );
}
