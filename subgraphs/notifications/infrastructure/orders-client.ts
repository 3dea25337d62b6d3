import * as z from 'zod';
import { NotFoundError, ServiceUnavailableError } from '../../../lib/ddd';
import { InternalApiClient, type InternalClientOptions } from '../../../lib/internal-api';
import type { OrderDirectory } from '../application/ports';
import type { OrderSnapshot } from '../domain/order-snapshot';

/** Orders' base URL (config.urls.orders; its internal API lives under /internal) and the client's settings. */
export type OrdersClientOptions = Omit<InternalClientOptions, 'name' | 'caller' | 'unavailable' | 'defaultField'>;

const money = z.object({ amount: z.number().int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) });
const text = (max: number) => z.string().max(max);

/**
 * Orders' answer, read as hostile: the contract's fields with bounds (a huge name or a thousand lines is an
 * answer to refuse, not to render), unknown fields ignored.
 */
const orderView = z.object({
  id: text(200).min(1),
  customerId: text(200).min(1),
  status: z.enum(['PENDING', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELLED']),
  total: money,
  items: z
    .array(z.object({ productId: text(200).min(1), productName: text(500), unitPrice: money, quantity: z.number().int().positive(), lineTotal: money }))
    .min(1)
    .max(500),
  placedAt: text(64),
  paymentDueAt: text(64).nullish(),
  cancellationReason: text(1000).nullish(),
  email: text(320).nullish(),
  shippingAddress: z
    .object({
      name: text(200),
      line1: text(200),
      line2: text(200).nullish(),
      city: text(200),
      region: text(200).nullish(),
      postalCode: text(40),
      country: text(2),
    })
    .nullish(),
});

/** Orders did not answer, or answered outside the contract: the delivery is retried later. */
export class OrdersUnavailableError extends ServiceUnavailableError {
  override readonly name = 'OrdersUnavailableError';
}

/**
 * Notifications' reader of Orders' internal API (`GET /internal/orders/:id`) through lib/internal-api's client:
 * signed as the Notifications service with the internal command key (plus SigV4 on AWS), with a deadline per call
 * and a circuit breaker. While Orders is down, or refuses the service identity (the two disagree on the signing
 * secret: an outage to fix, not a missing order), deliveries fail fast and are retried with their backoff.
 */
export class HttpOrderDirectory implements OrderDirectory {
  readonly #client: InternalApiClient;

  constructor(options: OrdersClientOptions) {
    this.#client = new InternalApiClient({
      ...options,
      name: 'orders',
      caller: 'notifications',
      unavailable: (context, cause) => new OrdersUnavailableError('Orders did not answer an order lookup, or answered outside its contract', context, cause === undefined ? undefined : { cause }),
    });
  }

  async find(orderId: string): Promise<OrderSnapshot | undefined> {
    let order: z.infer<typeof orderView>;
    try {
      order = await this.#client.call('GET', `/internal/orders/${encodeURIComponent(orderId)}`, { schema: orderView, context: { orderId } });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    if (order.id !== orderId) throw new OrdersUnavailableError(`Orders answered order ${orderId} with order ${order.id}`, { orderId });
    return {
      id: order.id,
      customerId: order.customerId,
      status: order.status,
      total: order.total,
      items: order.items,
      placedAt: order.placedAt,
      paymentDueAt: order.paymentDueAt ?? undefined,
      cancellationReason: order.cancellationReason ?? undefined,
      email: order.email ?? undefined,
      shippingAddress: order.shippingAddress
        ? { ...order.shippingAddress, line2: order.shippingAddress.line2 ?? undefined, region: order.shippingAddress.region ?? undefined }
        : undefined,
    };
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
