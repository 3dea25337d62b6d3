import { useMutation, useQuery } from '@apollo/client/react';
import { CancelOrderDocument, OrderDocument } from '../__generated__/graphql';
import { Link } from '../app/router';
import { DateTime } from '../components/DateTime';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import { ShipmentDetails } from '../orders/ShipmentDetails';
import { ShippingAddressSection } from '../orders/ShippingAddressSection';
import { useLiveOrder } from '../orders/use-live-order';
import { PaymentStatusText } from '../payments/PaymentStatusText';
import { PaymentStep } from '../payments/PaymentStep';
import { useSession } from '../session/SessionProvider';
import { SignInPrompt } from './SignInPrompt';

export function OrderPage({ id }: { id: string }) {
  const { session } = useSession();
  const { data, loading, error } = useQuery(OrderDocument, { variables: { id }, skip: !session });
  const order = data?.order ?? undefined;
  const live = useLiveOrder(order, Boolean(session), { withProgress: true });
  const [cancelOrder, cancelling] = useMutation(CancelOrderDocument);

  if (!session) return <SignInPrompt what="see this order" />;
  if (loading && !data) return <p aria-busy="true">Loading the order…</p>;
  if (error) return <ErrorMessage error={error} title="The order could not be loaded." />;
  if (!order) {
    return (
      <section>
        <h1>No such order</h1>
        <p>
          There is no order {id}. <Link to="/orders">Your orders</Link>
        </p>
      </section>
    );
  }
  const cancellable = order.status === 'PENDING' || order.status === 'CONFIRMED';
  // Only the owner pays (startPayment is the owner's), and only while the order is PENDING: once it is confirmed (by its
  // payment, or by an admin by hand) or cancelled, the card form goes away with the live status (Payments cancels an
  // open payment then: docs/payments.md). An admin looking at the order sees where it stands.
  const payable = order.status === 'PENDING' && order.customer.id === session.sub;
  return (
    <article aria-labelledby="order-heading" className="order">
      <h1 id="order-heading">Order {order.id}</h1>
      <p className="order-status" role="status" aria-live="polite" aria-atomic="true">
        Status: <OrderStatusBadge status={order.status} />
      </p>
      <ErrorMessage error={live.subscriptionError} title="Live updates of this order stopped." />
      <dl>
        <dt>Placed</dt>
        <dd>
          <DateTime value={order.placedAt} />
        </dd>
        <dt>Last change</dt>
        <dd>
          <DateTime value={order.updatedAt} />
        </dd>
        <dt>Total</dt>
        <dd>
          <Money value={order.total} />
        </dd>
        <dt>Reward points</dt>
        <dd className="reward-points" aria-live="polite">
          {order.rewardPoints != null
            ? `${order.rewardPoints} points earned`
            : live.awaitingPoints
              ? 'Being issued…'
              : live.pointsDelayed
                ? 'On their way: check again later.'
                : 'Earned when the order is completed.'}
        </dd>
      </dl>
      <section aria-labelledby="payment-heading">
        <h2 id="payment-heading">Payment</h2>
        <p className="payment" aria-live="polite">
          {order.payment ? <PaymentStatusText status={order.payment.status} failureReason={order.payment.failureReason} orderStatus={order.status} /> : order.status === 'PENDING' ? 'Not paid yet.' : 'No card payment.'}
        </p>
        {payable ? <PaymentStep order={order} /> : null}
      </section>
      <section aria-labelledby="shipping-heading">
        <h2 id="shipping-heading">Shipping</h2>
        <ShippingAddressSection orderId={order.id} address={order.shippingAddress} editable={cancellable && order.customer.id === session.sub} />
        <ShipmentDetails shipment={order.shipment} orderStatus={order.status} />
      </section>
      <table>
        <caption>Items</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Unit price</th>
            <th scope="col">Quantity</th>
            <th scope="col">Line total</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.product.id}>
              <th scope="row">
                <Link to={`/products/${encodeURIComponent(item.product.id)}`}>{item.productName}</Link>
              </th>
              <td>
                <Money value={item.unitPrice} />
              </td>
              <td>{item.quantity}</td>
              <td>
                <Money value={item.lineTotal} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {cancellable ? (
        <p>
          <button type="button" onClick={() => void cancelOrder({ variables: { id: order.id, reason: 'cancelled by the customer' } }).catch(() => undefined)} disabled={cancelling.loading}>
            Cancel this order
          </button>
        </p>
      ) : null}
      <ErrorMessage error={cancelling.error} title="The order was not cancelled." />
      <p>
        <Link to="/orders">All your orders</Link>
      </p>
    </article>
  );
}
