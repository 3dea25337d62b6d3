import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { OrderRewardPointsDocument, OrderStatusChangedDocument, type OrderStatus } from '../__generated__/graphql';
import { FINAL_STATUSES } from '../components/OrderStatusBadge';

/** How long an order page waits for Rewards to issue the points of a completed order, and how often it asks. */
const REWARD_WAIT_MS = 60_000;
const REWARD_POLL_MS = 1_000;

/**
 * Keeps an order on screen current without a reload: its status changes arrive over the WebSocket
 * (orderStatusChanged; the update's `order` lands in the normalized cache, so every view of the order
 * changes), and once it is COMPLETED the points Rewards issues asynchronously are asked for until they exist.
 */
export function useLiveOrder(order: { id: string; status: OrderStatus; rewardPoints?: number | null | undefined } | undefined, enabled: boolean) {
  const live = enabled && order !== undefined && !FINAL_STATUSES.includes(order.status);
  const subscription = useSubscription(OrderStatusChangedDocument, { variables: { orderId: order?.id ?? '' }, skip: !live });

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
