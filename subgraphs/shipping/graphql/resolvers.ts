import { DateTimeScalar } from '../../../lib/graphql';
import type { Resolvers } from './__generated__/resolvers-types';

/** Shipping's part of the graph: Order.shipment. Status changes come from Orders' mutations (shipOrder, markOrderDelivered). */
export const shippingResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Order: {
    __resolveReference: (reference) => ({ id: reference.id }),
    shipment: (order, _, ctx) => ctx.loaders.shipment.load(order.id),
  },
  Shipment: {
    status: (shipment) => {
      // The loader answers null for a withdrawn shipment: for clients it does not exist.
      if (shipment.status === 'WITHDRAWN') throw new Error(`the withdrawn shipment of order ${shipment.orderId} reached the graph`);
      return shipment.status;
    },
    carrier: (shipment) => shipment.tracking?.carrier ?? null,
    trackingNumber: (shipment) => shipment.tracking?.trackingNumber ?? null,
    trackingUrl: (shipment) => shipment.tracking?.trackingUrl ?? null,
    shippedAt: (shipment) => shipment.shippedAt ?? null,
    deliveredAt: (shipment) => shipment.deliveredAt ?? null,
  },
};
