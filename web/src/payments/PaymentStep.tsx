import { useMutation, useQuery } from '@apollo/client/react';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { OrderProgressDocument, StartPaymentDocument, type PaymentDetailsFragment, type PaymentStatus } from '../__generated__/graphql';
import { useStorefrontConfig } from '../config/storefront-config';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatClockTime } from '../format/clock';
import { formatMoney, type MoneyValue } from '../format/money';
import type { ConfirmOutcome } from './confirm-outcome';
import { TestMethodsForm } from './TestMethodsForm';

const StripeCardForm = lazy(() => import('./StripeCardForm'));

/** A payment the customer can still confirm: the provider gives its client secret while it is open or declined. */
const PAYABLE: readonly PaymentStatus[] = ['REQUIRES_PAYMENT', 'FAILED'];
/** How long, and how often, the page asks Payments for the status a confirm led to (it learns it from Stripe's webhook). */
const STATUS_WAIT_MS = 30_000;
const STATUS_POLL_MS = 1_000;

interface PayableOrder {
  readonly id: string;
  readonly total: MoneyValue;
  readonly paymentDueAt?: string | null | undefined;
  readonly payment?: PaymentDetailsFragment | null | undefined;
}

function OutcomeMessage({ outcome }: { outcome: ConfirmOutcome | undefined }) {
  if (!outcome) return null;
  switch (outcome.kind) {
    case 'authorized':
      return (
        <p role="status" className="announcement payment-outcome">
          Card accepted. Confirming your order…
        </p>
      );
    case 'pending':
      return (
        <p role="status" className="payment-outcome">
          Your payment is being processed; this page updates when it is done.
        </p>
      );
    case 'declined':
    case 'failed':
      return (
        <div role="alert" className="error payment-outcome" data-decline-code={outcome.kind === 'declined' ? (outcome.declineCode ?? '') : undefined}>
          <p className="error-title">{outcome.kind === 'declined' ? 'Your card was not charged.' : 'The payment did not go through.'}</p>
          <p>{outcome.message}</p>
          <p>Try again{outcome.kind === 'declined' ? ' with another card' : ''}.</p>
        </div>
      );
  }
}

/**
 * The payment step of a PENDING order, for its owner: starts the payment (startPayment, idempotent: the same open
 * payment on every visit), shows the deadline, and the card form the gateway's storefront config names. A declined
 * card is said in the provider's words and the customer tries again on the same payment until the deadline; the
 * order page follows the outcome live (Payments confirms the order on Stripe's webhook).
 */
export function PaymentStep({ order }: { order: PayableOrder }) {
  const config = useStorefrontConfig();
  const [outcome, setOutcome] = useState<ConfirmOutcome | undefined>();
  const [startPayment, starting] = useMutation(StartPaymentDocument, {
    // Links the new payment to the order in the cache, so every view of the order shows it without a refetch.
    update(cache, result) {
      const payment = result.data?.startPayment;
      if (!payment) return;
      cache.modify({ id: cache.identify({ __typename: 'Order', id: order.id }), fields: { payment: (_existing, { toReference }) => toReference(payment) ?? null } });
    },
  });
  const clientSecret = order.payment && PAYABLE.includes(order.payment.status) ? order.payment.clientSecret : undefined;
  const needsStart = !order.payment || (PAYABLE.includes(order.payment.status) && !order.payment.clientSecret);
  const started = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!needsStart || started.current === order.id) return;
    started.current = order.id;
    void startPayment({ variables: { orderId: order.id } }).catch(() => undefined);
  }, [needsStart, order.id, startPayment]);

  // The browser hears the outcome from the provider first; Payments hears it from the webhook a moment later. Until
  // its status says the same, the payment is asked for again (the order's own change arrives on the subscription).
  const expected: PaymentStatus | undefined = outcome?.kind === 'declined' ? 'FAILED' : outcome?.kind === 'authorized' ? 'AUTHORIZED' : undefined;
  const awaiting = expected !== undefined && order.payment?.status !== expected;
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    setGaveUp(false);
    if (!awaiting) return;
    const timer = window.setTimeout(() => setGaveUp(true), STATUS_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, [awaiting, outcome]);
  useQuery(OrderProgressDocument, { variables: { id: order.id }, skip: !awaiting || gaveUp, pollInterval: STATUS_POLL_MS, fetchPolicy: 'network-only' });

  const dueAt = order.paymentDueAt ? formatClockTime(order.paymentDueAt) : undefined;
  const payLabel = `Pay ${formatMoney(order.total)}`;
  const form = { clientSecret: clientSecret ?? '', payLabel, onOutcome: setOutcome, disabled: outcome?.kind === 'authorized' };

  return (
    <section aria-labelledby="pay-heading" className="payment-step">
      <h2 id="pay-heading">Pay for your order</h2>
      {dueAt ? (
        <p className="pay-by">
          Pay by <time dateTime={order.paymentDueAt ?? undefined}>{dueAt}</time>: unpaid orders are cancelled then and their items released.
        </p>
      ) : null}
      <ErrorMessage error={starting.error} title="The payment could not be started." />
      {starting.error ? (
        <button type="button" onClick={() => void startPayment({ variables: { orderId: order.id } }).catch(() => undefined)} disabled={starting.loading}>
          Try again
        </button>
      ) : null}
      <ErrorMessage error={config.error} title="The card form could not be loaded." />
      {order.payment && !PAYABLE.includes(order.payment.status) ? (
        <p role="status" className="announcement">
          {order.payment.status === 'AUTHORIZED' || order.payment.status === 'CAPTURED'
            ? 'Your card is authorized. Confirming your order…'
            : 'This payment was cancelled and cannot be paid any more.'}
        </p>
      ) : !clientSecret || !config.config ? (
        starting.error || config.error ? null : <p aria-busy="true">Preparing the payment…</p>
      ) : config.config.payments.provider === 'test-methods' ? (
        <TestMethodsForm {...form} apiUrl={config.config.payments.apiUrl} publishableKey={config.config.payments.publishableKey} />
      ) : config.config.payments.provider === 'stripe' ? (
        <Suspense fallback={<p aria-busy="true">Loading the card form…</p>}>
          <StripeCardForm {...form} publishableKey={config.config.payments.publishableKey} />
        </Suspense>
      ) : (
        <p role="alert" className="error">
          This shop takes no card payments yet (its operator has not set STRIPE_PUBLISHABLE_KEY). Your order stays reserved until the time above.
        </p>
      )}
      {order.payment && !PAYABLE.includes(order.payment.status) ? null : <OutcomeMessage outcome={outcome} />}
    </section>
  );
}
