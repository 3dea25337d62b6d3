import * as z from 'zod';
import { NotFoundError, ServiceUnavailableError } from '../../../../lib/ddd';
import { InternalApiClient, type InternalClientOptions } from '../../../../lib/internal-api';
import type { OrderDirectory, OrderSnapshot } from '../../application/order-directory';

/** Orders' base URL (config.urls.orders) and the client's settings (internalClientSettings). */
export type OrdersDirectoryClientOptions = Omit<InternalClientOptions, 'name' | 'caller' | 'unavailable' | 'defaultField'>;

/** The part of Orders' representation (GET /internal/orders/:id) Payments reads; the rest is ignored. */
const order = z.object({
  id: z.string(),
  customerId: z.string(),
  status: z.string(),
  total: z.object({ amount: z.number().int().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) }),
});

/**
 * Payments' anti-corruption layer to Orders: the order as Orders has it now, read through its internal API as the
 * Payments service (lib/internal-api: signed, deadline, breaker). Never cached: whether an order may be paid is
 * decided on its current status.
 */
export class OrdersDirectoryClient implements OrderDirectory {
  readonly #client: InternalApiClient;

  constructor(options: OrdersDirectoryClientOptions) {
    this.#client = new InternalApiClient({
      ...options,
      name: 'orders',
      caller: 'payments',
      defaultField: 'orderId',
      unavailable: (context, cause) => new ServiceUnavailableError('Orders did not answer: the payment could not be started; try again', context, cause === undefined ? undefined : { cause }),
    });
  }

  async findOrder(orderId: string): Promise<OrderSnapshot | null> {
    try {
      return await this.#client.call('GET', `/internal/orders/${encodeURIComponent(orderId)}`, { schema: order, context: { orderId } });
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
