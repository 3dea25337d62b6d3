import type { Clock } from '../../../lib/ddd';
import type { OrderRepository } from '../domain/order-repository';
import type { CustomerLimits } from './customer-limits';
import type { PaymentCapture } from './payment-capture';
import type { ProductCatalog } from './product-catalog';
import type { ShipmentCommands } from './shipment-commands';
import type { StockHolds } from './stock-holds';

/** What Orders' use cases need from the outside world. `catalog` is request-scoped (it batches per request). */
export interface OrdersDependencies {
  readonly orders: OrderRepository;
  readonly catalog: ProductCatalog;
  readonly clock: Clock;
  readonly newId: () => string;
  /** IDEMPOTENCY_KEY_TTL_SECONDS; a day when not given. */
  readonly idempotencyKeyTtlSeconds?: number;
  /** Catalog's stock: placeOrder holds units here before it writes the order. */
  readonly stock: StockHolds;
  /** PAYMENT_TIMEOUT_SECONDS: a placed order is due paid this long after placedAt; no deadline when not given. */
  readonly paymentTimeoutSeconds?: number;
  /** The per-customer caps on unpaid orders; uncapped when not given. */
  readonly limits?: CustomerLimits;
  /** Payments' capture command: shipOrder takes the money before the goods leave. */
  readonly payments: PaymentCapture;
  /** Shipping's ship and deliver commands. */
  readonly shipments: ShipmentCommands;
}
