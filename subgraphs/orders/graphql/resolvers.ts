import { DateTimeScalar, toConnection } from '../../../lib/graphql';
import { requireAuthenticated } from '../../../lib/auth';
import { cancelOrder, confirmOrder } from '../application/change-order-status';
import { completeOrder, markOrderDelivered, shipOrder } from '../application/fulfil-order';
import { placeOrder } from '../application/place-order';
import { getOrder, listAllOrders, listCustomerOrders } from '../application/read-orders';
import { setShippingAddress } from '../application/set-shipping-address';
import type { Resolvers } from './__generated__/resolvers-types';

/** Orders' part of the graph: thin adapters from GraphQL arguments to use cases. */
export const ordersResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    me: (_, __, ctx) => ({ id: requireAuthenticated(ctx.caller, 'ask who you are').sub }),
    order: (_, { id }, ctx) => getOrder(ctx.deps, ctx.caller, id),
    orders: async (_, args, ctx) => toConnection(await listAllOrders(ctx.deps, ctx.caller, args)),
  },
  Mutation: {
    placeOrder: (_, { input }, ctx) => placeOrder(ctx.deps, ctx.caller, input),
    confirmOrder: (_, { id }, ctx) => confirmOrder(ctx.deps, ctx.caller, id),
    completeOrder: (_, { id }, ctx) => completeOrder(ctx.deps, ctx.caller, id),
    cancelOrder: (_, { id, reason }, ctx) => cancelOrder(ctx.deps, ctx.caller, id, reason),
    setShippingAddress: (_, { orderId, address, email }, ctx) => setShippingAddress(ctx.deps, ctx.caller, orderId, { address, email }),
    shipOrder: (_, { id, input }, ctx) => shipOrder(ctx.deps, ctx.caller, id, input),
    markOrderDelivered: (_, { id }, ctx) => markOrderDelivered(ctx.deps, ctx.caller, id),
  },
  Order: {
    __resolveReference: (reference, ctx) => ctx.loaders.order.load(reference.id),
    customer: (order) => ({ id: order.customerId }),
    total: (order) => order.total.toJSON(),
    // Only a PENDING order has a deadline still ahead of it.
    paymentDueAt: (order) => (order.status === 'PENDING' ? (order.paymentDueAt ?? null) : null),
    shippingAddress: (order) => order.shippingAddress?.toJSON() ?? null,
    // A mutation answers with the order it changed: its stored version is the one after this change.
    version: (order) => order.versionAfterChanges,
  },
  OrderItem: {
    product: (item) => ({ id: item.productId }),
    unitPrice: (item) => item.unitPrice.toJSON(),
    lineTotal: (item) => item.lineTotal.toJSON(),
  },
  Customer: {
    __resolveReference: (reference) => ({ id: reference.id }),
    orders: async (customer, args, ctx) => toConnection(await listCustomerOrders(ctx.deps, ctx.caller, customer.id, args)),
  },
};
