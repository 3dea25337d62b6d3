import { useQuery } from '@apollo/client/react';
import { MyOrdersDocument, type OrderSummaryFragment } from '../__generated__/graphql';
import { Link } from '../app/router';
import { CursorPager, useCursorStack } from '../components/CursorPager';
import { DateTime } from '../components/DateTime';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import { useLiveOrder } from '../orders/use-live-order';
import { useSession } from '../session/SessionProvider';
import { SignInPrompt } from './SignInPrompt';

/** Ten rows keep each page's live subscriptions under the gateway's 20 per connection. */
const PAGE_SIZE = 10;

function OrderRow({ order }: { order: OrderSummaryFragment }) {
  useLiveOrder(order, true);
  return (
    <tr>
      <th scope="row">
        <Link to={`/orders/${encodeURIComponent(order.id)}`}>{order.id}</Link>
      </th>
      <td>
        <DateTime value={order.placedAt} />
      </td>
      <td>{order.items.reduce((sum, item) => sum + item.quantity, 0)}</td>
      <td>
        <Money value={order.total} />
      </td>
      <td aria-live="polite">
        <OrderStatusBadge status={order.status} />
      </td>
      <td>{order.rewardPoints ?? '–'}</td>
    </tr>
  );
}

export function OrdersPage() {
  const { session } = useSession();
  const cursors = useCursorStack();
  const after = cursors.after;
  const { data, loading, error } = useQuery(MyOrdersDocument, {
    variables: { first: PAGE_SIZE, after },
    skip: !session,
    fetchPolicy: 'cache-and-network',
  });
  if (!session) return <SignInPrompt what="see your orders" />;
  const page = data?.me?.orders;
  return (
    <section aria-labelledby="orders-heading">
      <h1 id="orders-heading">Your orders</h1>
      <ErrorMessage error={error} title="Your orders could not be loaded." />
      {loading && !page ? <p aria-busy="true">Loading your orders…</p> : null}
      {page && page.edges.length === 0 ? (
        <p>
          No orders yet. <Link to="/">Browse the products</Link>
        </p>
      ) : null}
      {page && page.edges.length > 0 ? (
        <table className="orders">
          <caption className="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Items</th>
              <th scope="col">Total</th>
              <th scope="col">Status</th>
              <th scope="col">Points</th>
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node }) => (
              <OrderRow key={node.id} order={node} />
            ))}
          </tbody>
        </table>
      ) : null}
      <CursorPager label="Order pages" cursors={cursors} pageInfo={page?.pageInfo} previous="Newer orders" next="Older orders" />
    </section>
  );
}
