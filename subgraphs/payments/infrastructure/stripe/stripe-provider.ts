import Stripe from 'stripe';
import { PaymentFailedError, ServiceUnavailableError, type MoneyProps } from '../../../../lib/ddd';
import type { Logger } from '../../../../lib/logging';
import { ProviderStateConflictError, type PaymentProvider, type ProviderPayment } from '../../application/payment-provider';

export interface StripeClientSettings {
  /** STRIPE_SECRET_KEY. */
  readonly secretKey: string;
  /** STRIPE_API_URL: another server speaking Stripe's API (the emulator in development); unset: api.stripe.com. */
  readonly apiUrl?: string | undefined;
  /** One call's budget, each attempt (the SDK retries idempotent failures itself). */
  readonly timeoutMs: number;
}

/** Metadata keys of a PaymentIntent this system starts: they tie it back to its order. */
export const METADATA = { orderId: 'order_id', customerId: 'customer_id' } as const;

/**
 * The official SDK, pointed at STRIPE_API_URL when set (the SDK's host, port and protocol options: Stripe's own
 * way to reach stripe-mock and proxies). Network retries with Stripe's backoff: every write this system sends
 * carries an idempotency key, so a retried write never acts twice.
 */
export function createStripeClient(settings: StripeClientSettings): Stripe {
  const target = settings.apiUrl ? new URL(settings.apiUrl) : undefined;
  const protocol = target?.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(settings.secretKey, {
    ...(target ? { host: target.hostname, port: target.port || (protocol === 'http' ? 80 : 443), protocol } : {}),
    maxNetworkRetries: 2,
    timeout: settings.timeoutMs,
    telemetry: false,
    appInfo: { name: 'federated-commerce payments' },
  });
}

/**
 * Payments' one provider adapter: Stripe PaymentIntents with manual capture (authorize at checkout, capture when
 * the order ships; cancel voids before capture, a refund gives the money back after). Amounts are Stripe's minor
 * units, as our Money's (zero-decimal currencies such as JPY alike); currencies are lower case at Stripe.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';

  constructor(
    private readonly stripe: Stripe,
    private readonly logger: Logger,
  ) {}

  async createPayment(input: { orderId: string; customerId: string; amount: MoneyProps; idempotencyKey: string }): Promise<ProviderPayment> {
    const intent = await this.call('create', () =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amount.amount,
          currency: input.amount.currency.toLowerCase(),
          capture_method: 'manual',
          // Card payments only: Stripe's test methods, Elements' card form, nothing that redirects away.
          allowed_payment_method_types: ['card'],
          metadata: { [METADATA.orderId]: input.orderId, [METADATA.customerId]: input.customerId },
          description: `Order ${input.orderId}`,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return toProviderPayment(intent);
  }

  async retrieve(providerPaymentId: string): Promise<ProviderPayment> {
    return toProviderPayment(await this.call('retrieve', () => this.stripe.paymentIntents.retrieve(providerPaymentId, { expand: ['latest_charge'] })));
  }

  async capture(providerPaymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    return toProviderPayment(await this.call('capture', () => this.stripe.paymentIntents.capture(providerPaymentId, {}, { idempotencyKey })));
  }

  async cancel(providerPaymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    return toProviderPayment(await this.call('cancel', () => this.stripe.paymentIntents.cancel(providerPaymentId, { cancellation_reason: 'abandoned' }, { idempotencyKey })));
  }

  async refund(providerPaymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    await this.call('refund', () => this.stripe.refunds.create({ payment_intent: providerPaymentId, reason: 'requested_by_customer' }, { idempotencyKey }));
    return this.retrieve(providerPaymentId);
  }

  /**
   * Stripe's answers in Payments' terms: a refusal of the operation itself (a card declined, a capture Stripe will
   * not make) is PAYMENT_FAILED with Stripe's message, which is written for people; an operation that no longer fits
   * the intent's state is a ProviderStateConflictError (read it again); anything else (unreachable, 5xx, rate
   * limited, a key Stripe refuses) is SERVICE_UNAVAILABLE, with the details in the log and not in the answer.
   */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeError)) throw error;
      const facts = { operation, type: error.type, code: error.code, declineCode: error.decline_code, statusCode: error.statusCode, requestId: error.requestId };
      if (error.code === 'payment_intent_unexpected_state' || error.code === 'charge_already_refunded' || error.code === 'charge_already_captured') {
        throw new ProviderStateConflictError(error.message);
      }
      if (error instanceof Stripe.errors.StripeCardError || error instanceof Stripe.errors.StripeInvalidRequestError) {
        this.logger.warn(facts, 'Stripe refused an operation');
        throw new PaymentFailedError(error.message, { provider: 'stripe', ...(error.code ? { code: error.code } : {}), ...(error.decline_code ? { declineCode: error.decline_code } : {}) });
      }
      this.logger.error(facts, 'Stripe could not be used');
      throw new ServiceUnavailableError('the payment provider did not answer; try again in a moment', undefined, { cause: error });
    }
  }
}

/** A PaymentIntent as Payments sees it (provider-state.ts). */
export function toProviderPayment(intent: Stripe.PaymentIntent): ProviderPayment {
  const amount = { amount: intent.amount, currency: intent.currency.toUpperCase() };
  const base = {
    id: intent.id,
    amount,
    clientSecret: intent.client_secret ?? undefined,
    orderId: intent.metadata?.[METADATA.orderId] || undefined,
  };
  switch (intent.status) {
    case 'requires_capture':
      return { ...base, status: 'authorized' };
    case 'succeeded': {
      const charge = typeof intent.latest_charge === 'object' && intent.latest_charge !== null ? intent.latest_charge : undefined;
      return { ...base, status: 'captured', refunded: charge !== undefined && charge.amount_refunded >= charge.amount_captured && charge.amount_captured > 0 };
    }
    case 'canceled':
      return { ...base, status: 'canceled', cancellationReason: intent.cancellation_reason ?? undefined };
    case 'processing':
      return { ...base, status: 'processing' };
    default:
      // requires_payment_method (after a decline too), requires_confirmation, requires_action: nothing held yet.
      return { ...base, status: 'requires_payment', lastFailure: intent.last_payment_error?.message ?? undefined };
  }
}
