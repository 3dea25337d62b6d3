import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import {
  AdminOrdersDocument,
  CancelOrderDocument,
  CompleteOrderDocument,
  ConfirmOrderDocument,
  MarkOrderDeliveredDocument,
  ShipOrderDocument,
  type OrderStatus,
} from '../__generated__/graphql';
import { CursorPager, useCursorStack } from '../components/CursorPager';
import { DateTime } from '../components/DateTime';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import { useSession } from '../session/SessionProvider';
import { SignInPrompt } from '../pages/SignInPrompt';
import { ShipOrderForm } from './ShipOrderForm';

const PAGE_SIZE = 20;
const STATUSES: readonly OrderStatus[] = ['PENDING', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELLED'];

/** Every customer's orders, newest first (Query.orders, admin only), with the transitions each status allows. */
export default function AdminOrdersPage() {
  const { session } = useSession();
  const [status, setStatus] = useState<OrderStatus | undefined>();
  const cursors = useCursorStack(status ?? '');
  const after = cursors.after;
  const variables = { status, first: PAGE_SIZE, after };
  const { data, loading, error } = useQuery(AdminOrdersDocument, { variables, skip: !session?.admin, fetchPolicy: 'cache-and-network' });
  const options = { refetchQueries: [AdminOrdersDocument] };
  const [confirm, confirming] = useMutation(ConfirmOrderDocument, options);
  const [complete, completing] = useMutation(CompleteOrderDocument, options);
  const [cancel, cancelling] = useMutation(CancelOrderDocument, options);
  const [ship, shipping] = useMutation(ShipOrderDocument, options);
  const [deliver, delivering] = useMutation(MarkOrderDeliveredDocument, options);
  const [announcement, setAnnouncement] = useState('');
  const [shippingOrder, setShippingOrder] = useState<string | undefined>();
  const mutations = [confirming, completing, cancelling, shipping, delivering];
  const busy = mutations.some((mutation) => mutation.loading);

  if (!session) return <SignInPrompt what="manage orders" />;
  if (!session.admin) {
    return (
      <section>
        <h1>Orders</h1>
        <p role="alert">This page is for admins; you are signed in as {session.sub}.</p>
      </section>
    );
  }

  const act = async (verb: string, id: string, run: () => Promise<unknown>) => {
    for (const mutation of mutations) mutation.reset();
    const done = await run().then(
      () => true,
      () => false,
    );
    if (done) setAnnouncement(`Order ${id} ${verb}.`);
    return done;
  };

  const page = data?.orders;
  return (
    <section aria-labelledby="admin-heading">
      <h1 id="admin-heading">All orders</h1>
      <form className="filters" aria-label="Filter orders" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="status-filter">Status</label>
        <select
          id="status-filter"
          value={status ?? ''}
          onChange={(event) => {
            setStatus((event.target.value || undefined) as OrderStatus | undefined);
          }}
        >
          <option value="">Any status</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {value.toLowerCase()}
            </option>
          ))}
        </select>
      </form>
      <ErrorMessage error={error} title="The orders could not be loaded." />
      <ErrorMessage error={mutations.find((mutation) => mutation.error)?.error} title="The order did not change." />
      <p role="status" className="announcement">
        {announcement}
      </p>
      {loading && !page ? <p aria-busy="true">Loading orders…</p> : null}
      {page && page.edges.length === 0 ? <p>No orders.</p> : null}
      {page && page.edges.length > 0 ? (
        <table className="orders">
          <caption className="visually-hidden">Orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Placed</th>
              <th scope="col">Total</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node }) => (
              <tr key={node.id} data-order-id={node.id}>
                <th scope="row">{node.id}</th>
                <td>{node.customer.id}</td>
                <td>
                  <DateTime value={node.placedAt} />
                </td>
                <td>
                  <Money value={node.total} />
                </td>
                <td>
                  <OrderStatusBadge status={node.status} />
                </td>
                <td>
                  <div className="actions">
                  {node.status === 'PENDING' ? (
                    <button type="button" disabled={busy} aria-label={`Confirm order ${node.id}`} onClick={() => void act('confirmed', node.id, () => confirm({ variables: { id: node.id } }))}>
                      Confirm
                    </button>
                  ) : null}
                  {node.status === 'CONFIRMED' ? (
                    <button type="button" disabled={busy} aria-label={`Ship order ${node.id}`} aria-expanded={shippingOrder === node.id} onClick={() => setShippingOrder(shippingOrder === node.id ? undefined : node.id)}>
                      Ship…
                    </button>
                  ) : null}
                  {node.status === 'SHIPPED' ? (
                    <button type="button" disabled={busy} aria-label={`Mark order ${node.id} delivered`} onClick={() => void act('delivered and completed', node.id, () => deliver({ variables: { id: node.id } }))}>
                      Delivered
                    </button>
                  ) : null}
                  {node.status === 'CONFIRMED' ? (
                    <button type="button" disabled={busy} aria-label={`Complete order ${node.id}`} onClick={() => void act('completed', node.id, () => complete({ variables: { id: node.id } }))}>
                      Complete
                    </button>
                  ) : null}
                  {node.status === 'PENDING' || node.status === 'CONFIRMED' ? (
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`Cancel order ${node.id}`}
                      onClick={() => void act('cancelled', node.id, () => cancel({ variables: { id: node.id, reason: 'cancelled by an admin' } }))}
                    >
                      Cancel
                    </button>
                  ) : null}
                  </div>
                  {node.status === 'CONFIRMED' && shippingOrder === node.id ? (
                    <ShipOrderForm
                      orderId={node.id}
                      busy={busy}
                      onCancel={() => setShippingOrder(undefined)}
                      onShip={(input) =>
                        void act('shipped', node.id, () => ship({ variables: { id: node.id, input } })).then((done) => {
                          if (done) setShippingOrder(undefined);
                        })
                      }
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CursorPager label="Order pages" cursors={cursors} pageInfo={page?.pageInfo} previous="Newer orders" next="Older orders" />
    </section>
  );
}
