import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { OrderProgressDocument, OrderRewardPointsDocument, OrderStatusChangedDocument, type OrderStatus } from '../__generated__/graphql';
import { FINAL_STATUSES } from '../components/OrderStatusBadge';

/** How long an order page waits for Rewards to issue the points of a completed order, and how often it asks. */
const REWARD_WAIT_MS = 60_000;
const REWARD_POLL_MS = 1_000;

/**
 * Keeps an order on screen current without a reload: its status changes arrive over the WebSocket
 * (orderStatusChanged; the update's `order` lands in the normalized cache, so every view of the order
 * changes), none lost between reading the order and subscribing or while the socket reconnects (afterVersion);
 * with `withProgress` (a page that shows them), each change also reads again what other contexts keep in step with
 * the status (the payment, the shipment and its tracking: OrderProgress); and once it is COMPLETED the points
 * Rewards issues asynchronously are asked for until they exist.
 */
export function useLiveOrder(
  order: { id: string; status: OrderStatus; version: number; rewardPoints?: number | null | undefined } | undefined,
  enabled: boolean,
  options: { readonly withProgress?: boolean } = {},
) {
  const live = enabled && order !== undefined && !FINAL_STATUSES.includes(order.status);
  // The version on screen when watching began: a change made between reading the order and subscribing comes
  // first. Later versions do not restart the subscription (they would, as variables); after a reconnect the
  // subscription resumes from the last update itself (ResumingWsLink).
  const [since, setSince] = useState<{ orderId: string; version: number } | undefined>(undefined);
  if (order && since?.orderId !== order.id) setSince({ orderId: order.id, version: order.version });
  const subscription = useSubscription(OrderStatusChangedDocument, {
    variables: { orderId: order?.id ?? '', afterVersion: since?.orderId === order?.id ? since?.version : undefined },
    skip: !live || since?.orderId !== order?.id,
  });

  const client = useApolloClient();
  const seenVersion = useRef<{ orderId: string; version: number } | undefined>(undefined);
  useEffect(() => {
    if (!enabled || !order || !options.withProgress) return;
    const previous = seenVersion.current;
    seenVersion.current = { orderId: order.id, version: order.version };
    if (previous?.orderId !== order.id || previous.version === order.version) return;
    void client.query({ query: OrderProgressDocument, variables: { id: order.id }, fetchPolicy: 'network-only' }).catch(() => undefined);
  }, [client, enabled, options.withProgress, order?.id, order?.version]);

  const awaitingPoints = enabled && order?.status === 'COMPLETED' && order.rewardPoints == null;
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    if (!awaitingPoints) return;
    const timer = window.setTimeout(() => setGaveUp(true), REWARD_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, [awaitingPoints]);
  useQuery(OrderRewardPointsDocument, {
    variables: { id: order?.id ?? '' },
    skip: !awaitingPoints || gaveUp,
    pollInterval: REWARD_POLL_MS,
    fetchPolicy: 'network-only',
  });

  return { subscriptionError: subscription.error, awaitingPoints: awaitingPoints && !gaveUp, pointsDelayed: awaitingPoints && gaveUp };
}
