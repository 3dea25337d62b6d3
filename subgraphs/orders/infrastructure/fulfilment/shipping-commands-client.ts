import * as z from 'zod';
import { ServiceUnavailableError } from '../../../../lib/ddd';
import { InternalApiClient, type InternalClientOptions } from '../../../../lib/internal-api';
import type { ParcelTracking } from '../../domain/order-events';
import type { ShipCommand, ShipmentCommands } from '../../application/shipment-commands';

/** Shipping's base URL (config.urls.shipping) and the client's settings (internalClientSettings). */
export type ShippingCommandsClientOptions = Omit<InternalClientOptions, 'name' | 'caller' | 'unavailable' | 'defaultField'>;

/** The part of Shipping's shipment (fulfilment.md, internal commands) Orders relies on. */
const shipped = z.object({
  orderId: z.string(),
  status: z.enum(['SHIPPED', 'DELIVERED']),
  carrier: z.string().min(1).max(100),
  trackingNumber: z.string().min(1).max(100),
  trackingUrl: z.string().url().max(2000).optional(),
});
/** Shipping's check answers the tracking its ship command would record. */
const checked = z.object({ carrier: z.string().min(1).max(100), trackingNumber: z.string().min(1).max(100), trackingUrl: z.string().url().max(2000).optional() });
const delivered = z.object({ orderId: z.string(), status: z.literal('DELIVERED') });

/**
 * Orders' client of Shipping's check, ship and deliver commands (lib/internal-api: signed as the Orders service, plus SigV4
 * on AWS; a deadline and a circuit breaker). Both commands are idempotent by order id. Shipping's refusals come back
 * as the contract's errors (a tracking number that does not fit its carrier is BAD_USER_INPUT on `trackingNumber`).
 */
export class ShippingCommandsClient implements ShipmentCommands {
  readonly #client: InternalApiClient;

  constructor(options: ShippingCommandsClientOptions) {
    this.#client = new InternalApiClient({
      ...options,
      name: 'shipping-commands',
      caller: 'orders',
      defaultField: 'input',
      unavailable: (context, cause) => new ServiceUnavailableError('Shipping did not answer; try again (the command is safe to repeat)', context, cause === undefined ? undefined : { cause }),
    });
  }

  async check(command: ShipCommand): Promise<ParcelTracking> {
    const tracking = await this.#client.call('POST', '/internal/shipments/check', { body: command, schema: checked, context: { orderId: command.orderId } });
    return { carrier: tracking.carrier, trackingNumber: tracking.trackingNumber, trackingUrl: tracking.trackingUrl };
  }

  async ship(command: ShipCommand): Promise<ParcelTracking> {
    const shipment = await this.#client.call('POST', '/internal/shipments/ship', { body: command, schema: shipped, context: { orderId: command.orderId } });
    return { carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, trackingUrl: shipment.trackingUrl };
  }

  async deliver(orderId: string): Promise<void> {
    await this.#client.call('POST', '/internal/shipments/deliver', { body: { orderId }, schema: delivered, context: { orderId } });
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
