import { requireAuthenticated, type Caller } from '../../../lib/auth';
import { ForbiddenError, InvalidOrderTransitionError, NotFoundError, PaymentFailedError, describeValue, guard } from '../../../lib/ddd';
import { Payment } from '../domain/payment';
import { settleCancelledOrderPayment } from './compensate-payment';
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
 * attempt: the customer tries again with the same intent). An order that is not PENDING is
 * INVALID_ORDER_TRANSITION; someone else's order FORBIDDEN; an unknown one NOT_FOUND.
 */
export async function startPayment(deps: PaymentsDependencies, caller: Caller, orderId: string): Promise<Payment> {
  const customer = requireAuthenticated(caller, 'pay for an order');
  guard.text('orderId', orderId, { min: 1, max: 200 });
  const order = await deps.orders.findOrder(orderId);
  if (!order) throw new NotFoundError(`no order with id ${describeValue(orderId)}`, { field: 'orderId', value: orderId });
  if (order.customerId !== customer.sub) throw new ForbiddenError(`order ${order.id} belongs to another customer; only its owner pays for it`, { orderId: order.id });
  const existing = await deps.payments.findByOrderId(order.id);
  if (order.status !== 'PENDING' || existing?.orderCancelled) {
    throw new InvalidOrderTransitionError(`order ${order.id} is ${existing?.orderCancelled ? 'CANCELLED' : order.status}; only a PENDING order can be paid`, {
      orderId: order.id,
      status: existing?.orderCancelled ? 'CANCELLED' : order.status,
    });
  }
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
  const stored = await deps.payments.findByOrderId(order.id);
  if (outcome === 'order-cancelled' || !stored) {
    // The order was cancelled while its payment was being started: nothing may be paid for it.
    await settleCancelledOrderPayment(deps, payment, 'the order was cancelled before its payment started');
    throw new InvalidOrderTransitionError(`order ${order.id} is CANCELLED; only a PENDING order can be paid`, { orderId: order.id, status: 'CANCELLED' });
  }
  return answerExisting(stored);
}

/** A payment already started for the order: the same one again, unless it can no longer be paid. */
function answerExisting(payment: Payment): Payment {
  if (payment.status === 'VOIDED' || payment.status === 'REFUNDED') {
    throw new PaymentFailedError(`the payment of order ${payment.orderId} was cancelled at the provider and cannot be paid any more; place the order again`, {
      orderId: payment.orderId,
      paymentStatus: payment.status,
    });
  }
  return payment;
}
