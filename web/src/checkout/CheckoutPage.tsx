import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { PlaceOrderDocument } from '../__generated__/graphql';
import { Link, navigate } from '../app/router';
import { idempotencyKey, itemCount } from '../cart/cart';
import { cartStore, useCart } from '../cart/use-cart';
import { ErrorMessage } from '../components/ErrorMessage';
import { SignInPrompt } from '../pages/SignInPrompt';
import { useSession } from '../session/SessionProvider';
import { cartTotal } from '../cart/cart-total';
import { formatMoney } from '../format/money';
import { checkCheckout, EMPTY_DRAFT, type CheckoutDraft, type FieldErrors } from './address';
import { AddressFields } from './AddressFields';

/**
 * The step between the cart and paying: where the order goes and where its emails go, asked before anything is
 * placed (a shipped order needs both), checked field by field in the browser, then the order is placed (stock held,
 * payment deadline set) and the order page takes the payment.
 */
export function CheckoutPage() {
  const cart = useCart();
  const { session } = useSession();
  const [draft, setDraft] = useState<CheckoutDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [placeOrder, { loading, error, reset }] = useMutation(PlaceOrderDocument);
  const total = cartTotal(cart);

  if (!session) return <SignInPrompt what="check out" />;
  if (cart.lines.length === 0) {
    return (
      <section aria-labelledby="checkout-heading">
        <h1 id="checkout-heading">Checkout</h1>
        <p>
          Your cart is empty. <Link to="/">Browse the products</Link>
        </p>
      </section>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    reset();
    const checked = checkCheckout(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      // The first field to fix gets the focus, so keyboard and screen-reader users land on it.
      const first = Object.keys(checked.errors)[0];
      if (first) document.getElementById(`checkout-${first}`)?.focus();
      return;
    }
    setErrors({});
    const placing = cartStore.getSnapshot();
    const result = await placeOrder({
      variables: {
        input: {
          items: placing.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
          idempotencyKey: idempotencyKey(placing),
          ...checked.details,
        },
      },
    }).catch(() => undefined);
    const order = result?.data?.placeOrder;
    if (!order) return;
    // Only the cart that was placed is emptied: one changed meanwhile in another tab stays.
    if (cartStore.getSnapshot() === placing) cartStore.clear();
    navigate(`/orders/${encodeURIComponent(order.id)}`);
  };

  const count = itemCount(cart);
  return (
    <section aria-labelledby="checkout-heading">
      <h1 id="checkout-heading">Checkout</h1>
      <p className="total">
        {count} {count === 1 ? 'item' : 'items'}
        {total && total !== 'mixed' ? (
          <>
            , <strong>{formatMoney(total)}</strong>
          </>
        ) : null}{' '}
        (<Link to="/cart">change your cart</Link>)
      </p>
      <form className="address-form" aria-labelledby="address-heading" noValidate onSubmit={(event) => void submit(event)}>
        <h2 id="address-heading">Shipping address and email</h2>
        <AddressFields draft={draft} errors={errors} onChange={setDraft} />
        {Object.keys(errors).length > 0 ? (
          <p role="alert" className="error field-summary">
            Check the {Object.keys(errors).length === 1 ? 'field' : `${Object.keys(errors).length} fields`} marked above.
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={loading || total === 'mixed'}>
          {loading ? 'Placing your order…' : 'Place order and pay'}
        </button>
      </form>
      <ErrorMessage error={error} title="Your order was not placed." />
    </section>
  );
}
