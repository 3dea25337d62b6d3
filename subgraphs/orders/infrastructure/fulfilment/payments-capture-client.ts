import * as z from 'zod';
import { NotFoundError, ServiceUnavailableError } from '../../../../lib/ddd';
import { InternalApiClient, type InternalClientOptions } from '../../../../lib/internal-api';
import type { PaymentCapture } from '../../application/payment-capture';

/** Payments' base URL (config.urls.payments) and the client's settings (internalClientSettings). */
export type PaymentsCaptureClientOptions = Omit<InternalClientOptions, 'name' | 'caller' | 'unavailable' | 'defaultField'>;

/** The part of Payments' answer Orders relies on: the payment is captured. */
const captured = z.object({ orderId: z.string(), status: z.literal('CAPTURED') });

/**
 * Orders' client of Payments' capture command (`POST /internal/payments/capture`, lib/internal-api: signed as the
 * Orders service, plus SigV4 on AWS; a deadline and a circuit breaker). NOT_FOUND means the order has no payment
 * (confirmed by hand): nothing to capture. PAYMENT_FAILED comes back as the contract's PaymentFailedError.
 */
export class PaymentsCaptureClient implements PaymentCapture {
  readonly #client: InternalApiClient;

  constructor(options: PaymentsCaptureClientOptions) {
    this.#client = new InternalApiClient({
      ...options,
      name: 'payments-capture',
      caller: 'orders',
      defaultField: 'id',
      unavailable: (context, cause) =>
        new ServiceUnavailableError('Payments did not answer: the payment was not captured and nothing was shipped; try again', context, cause === undefined ? undefined : { cause }),
    });
  }

  async capture(orderId: string): Promise<'captured' | 'nothing-to-capture'> {
    try {
      await this.#client.call('POST', '/internal/payments/capture', { body: { orderId }, schema: captured, context: { orderId } });
      return 'captured';
    } catch (error) {
      if (error instanceof NotFoundError) return 'nothing-to-capture';
      throw error;
    }
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
