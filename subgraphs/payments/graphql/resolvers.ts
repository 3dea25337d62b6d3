import { DateTimeScalar } from '../../../lib/graphql';
import { visibleClientSecret } from '../application/read-payments';
import { startPayment } from '../application/start-payment';
import type { Resolvers } from './__generated__/resolvers-types';

/** Payments' part of the graph: Order.payment and startPayment. */
export const paymentsResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Mutation: {
    startPayment: (_, { orderId }, ctx) => startPayment(ctx.deps, ctx.caller, orderId),
  },
  Order: {
    __resolveReference: (reference) => ({ id: reference.id }),
    payment: (order, _, ctx) => ctx.loaders.payment.load(order.id),
  },
  Payment: {
    clientSecret: (payment, _, ctx) => visibleClientSecret(ctx.caller, payment),
    failureReason: (payment) => payment.failureReason ?? null,
  },
};
