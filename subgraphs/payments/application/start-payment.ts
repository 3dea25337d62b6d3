import { requireAuthenticated, type Caller } from '../../../lib/auth';
import { ConcurrentModificationError, ForbiddenError, InvalidOrderTransitionError, NotFoundError, PaymentFailedError, describeValue, guard } from '../../../lib/ddd';
import { Payment } from '../domain/payment';
import { lateNewsReason, settleClosedOrderPayment } from './compensate-payment';
import type { PaymentsDependencies } from './payments-dependencies';

/**
 * The idempotency key of an order's payment at the provider: one per order, so every start of its payment (a retry,
 * a concurrent call, a call after a crash between the provider and our write) gets the same intent.
 */
export const paymentIdempotencyKey = (orderId: string) => `payment-${orderId}`;

/**
 * The owner starts paying for their PENDING order (docs/architecture.md §4, "The checkout saga"): the order is read
 * from Orders (owner, status, total), a payment of its total is started at the provider (authorize now, capture when
 * the order ships), and the Payment is REQUIRES_PAYMENT with the client secret the owner's browser confirms it with.
 * Idempotent: while the order waits for payment, every call answers the same payment (also after a declined
 * attempt: the customer tries again with the same intent). An order that is not PENDING, or that Payments already
 * knows was closed to card payment (cancelled, or confirmed without it), is INVALID_ORDER_TRANSITION; someone else's
 * order FORBIDDEN; an unknown one NOT_FOUND.
 */
export async function startPayment(deps: PaymentsDependencies, caller: Caller, orderId: string): Promise<Payment> {
  const customer = requireAuthenticated(caller, 'pay for an order');
  guard.text('orderId', orderId, { min: 1, max: 200 });
  const order = await deps.orders.findOrder(orderId);
  if (!order) throw new NotFoundError(`no order with id ${describeValue(orderId)}`, { field: 'orderId', value: orderId });
  if (order.customerId !== customer.sub) throw new ForbiddenError(`order ${order.id} belongs to another customer; only its owner pays for it`, { orderId: order.id });
  if (order.status !== 'PENDING') throw notPayable(order.id, order.status);
  const existing = await deps.payments.findByOrderId(order.id);
  if (existing) return answerExisting(existing);

  const started = await deps.provider.createPayment({ orderId: order.id, customerId: order.customerId, amount: order.total, idempotencyKey: paymentIdempotencyKey(order.id) });
  const now = deps.clock.now();
  const payment = Payment.start({
    id: deps.newId(),
    orderId: order.id,
    customerId: order.customerId,
    amount: order.total,
    provider: deps.provider.name,
    providerPaymentId: started.id,
    clientSecret: started.clientSecret,
    now,
  });
  // An intent found again by its idempotency key may have moved on (confirmed before this process crashed).
  payment.reconcile(started, now);
  const outcome = await deps.payments.create(payment);
  if (outcome === 'created') return payment;
  if (outcome === 'exists') {
    // A concurrent call stored it first (the same intent, by the idempotency key): answered as a repeated call is.
    const stored = await deps.payments.findByOrderId(order.id);
    if (!stored) throw new ConcurrentModificationError(`the payment of order ${order.id} changed meanwhile; try again`, { orderId: order.id });
    return answerExisting(stored);
  }
  // The order was cancelled, or confirmed otherwise, while its payment was being started: nothing may be paid for it,
  // so the intent just made is cancelled before anyone holds its client secret.
  await settleClosedOrderPayment(deps, payment, lateNewsReason(outcome.closed, 'started'));
  throw notPayable(order.id, outcome.closed);
}

function notPayable(orderId: string, status: string): InvalidOrderTransitionError {
  return new InvalidOrderTransitionError(`order ${orderId} is ${status}; only a PENDING order can be paid`, { orderId, status });
}

/**
 * A payment already started for the order: the same one again, unless it can no longer be paid. Orders may still say
 * PENDING while Payments already knows the order's closure (its event is faster than a read): the closure answers.
 */
function answerExisting(payment: Payment): Payment {
  if (payment.orderClosed) throw notPayable(payment.orderId, payment.orderClosed);
  if (payment.status === 'VOIDED' || payment.status === 'REFUNDED') {
    throw new PaymentFailedError(`the payment of order ${payment.orderId} was cancelled at the provider and cannot be paid any more; place the order again`, {
      orderId: payment.orderId,
      paymentStatus: payment.status,
    });
  }
  return payment;
}
