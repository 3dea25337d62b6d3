import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { PlaceOrderDocument } from '../__generated__/graphql';
import { Link, navigate } from '../app/router';
import { CartLimitError, idempotencyKey, MAX_QUANTITY, removeLine, setQuantity, type Cart } from '../cart/cart';
import { cartStore, useCart } from '../cart/use-cart';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { formatMoney, sumMoney, type MoneyValue } from '../format/money';
import { useSession } from '../session/SessionProvider';

function cartTotal(cart: Cart): MoneyValue | 'mixed' | undefined {
  try {
    return sumMoney(cart.lines.map((line) => ({ amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency })));
  } catch {
    return 'mixed';
  }
}

export function CartPage() {
  const cart = useCart();
  const { session } = useSession();
  const [placeOrder, { loading, error, reset }] = useMutation(PlaceOrderDocument);
  const [problem, setProblem] = useState<string | undefined>();
  const total = cartTotal(cart);

  const changeQuantity = (productId: string, value: string) => {
    reset();
    try {
      cartStore.update((current) => setQuantity(current, productId, Number(value)));
      setProblem(undefined);
    } catch (caught) {
      if (!(caught instanceof CartLimitError)) throw caught;
      setProblem(caught.message);
    }
  };

  const submit = async () => {
    const placing = cartStore.getSnapshot();
    const result = await placeOrder({
      variables: {
        input: {
          items: placing.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
          idempotencyKey: idempotencyKey(placing),
        },
      },
    }).catch(() => undefined);
    const order = result?.data?.placeOrder;
    if (!order) return;
    // Only the cart that was placed is emptied: one changed meanwhile in another tab stays.
    if (cartStore.getSnapshot() === placing) cartStore.clear();
    navigate(`/orders/${encodeURIComponent(order.id)}`);
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
      <ErrorMessage error={error} title="Your order was not placed." />
      {session ? (
        <button type="button" className="primary" onClick={() => void submit()} disabled={loading || total === 'mixed'}>
          {loading ? 'Placing your order…' : 'Place order'}
        </button>
      ) : (
        <p>
          <Link to="/sign-in?next=/cart">Sign in</Link> to place your order.
        </p>
      )}
    </section>
  );
}
