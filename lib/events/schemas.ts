import * as z from 'zod';

/**
 * Wire schemas of the domain events in docs/architecture.md §4. They describe the fields every consumer may rely on
 * ("data (at least)"): producers may add fields, so objects are not strict.
 */
const money = z.object({ amount: z.number().int().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) });
const id = z.string().min(1).max(200);
const orderStatus = z.enum(['PENDING', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELLED']);

/**
 * The order's version after the change (1 when placed, +1 per status change): consumers that must not apply an
 * older status after a newer one (subscriptions) order by it. Optional: events committed before it was added
 * are still valid.
 */
const orderVersion = z.number().int().positive().optional();

const orderCreated = z.object({
  orderId: id,
  customerId: id,
  items: z.array(z.object({ productId: id, quantity: z.number().int().positive(), unitPrice: money })).min(1),
  total: money,
  version: orderVersion,
  /** When the order is cancelled unless its payment is authorized first (ISO 8601). */
  paymentDueAt: z.string().datetime({ offset: true }).optional(),
});

const orderStatusChanged = z.object({
  orderId: id,
  customerId: id,
  status: orderStatus,
  previousStatus: orderStatus,
  total: money,
  reason: z.string().max(1000).optional(),
  /** Why an order was cancelled, for machines (the reason is for people). */
  cause: z.enum(['customer', 'admin', 'payment-timeout', 'stock-expired']).optional(),
  version: orderVersion,
});

/**
 * The order was confirmed, saying by what (optional: events published before it was added lack it): an admin by hand
 * (paid by other means), the order's card payment (`payment.authorized`) or an outside payment (`payment.completed`).
 * A field of its own, not `cause`: consumers that know only the cancellation causes keep accepting the event.
 */
const orderConfirmed = orderStatusChanged.extend({
  confirmedBy: z.enum(['admin', 'payment-authorized', 'payment-completed']).optional(),
});

/** The order left the warehouse: the status change, with how to follow the parcel. */
const orderShipped = orderStatusChanged.extend({
  carrier: z.string().min(1).max(100),
  trackingNumber: z.string().min(1).max(100),
  trackingUrl: z.string().url().max(2000).optional(),
});

const productCreated = z.object({
  productId: id,
  sku: z.string(),
  category: z.string(),
  name: z.string(),
  price: money,
  stockQuantity: z.number().int().nonnegative(),
});

const productUpdated = z.object({
  productId: id,
  sku: z.string(),
  category: z.string(),
  changed: z.array(z.string()),
  previousCategory: z.string().optional(),
});

const productPriceChanged = z.object({
  productId: id,
  sku: z.string(),
  category: z.string(),
  oldPrice: money,
  newPrice: money,
});

const reward = z.object({
  customerId: id,
  points: z.number().int().positive(),
  balance: z.number().int().nonnegative(),
  orderId: id.optional(),
});

/** Units of products a stock hold concerns, one line per product. */
const stockLines = z.array(z.object({ productId: id, quantity: z.number().int().positive() })).min(1);

const stockHeld = z.object({ orderId: id, lines: stockLines });
const stockReleased = z.object({
  orderId: id,
  lines: stockLines,
  /** cancelled: the order was cancelled; expired: no order claimed the hold in time; abandoned: placing the order failed. */
  reason: z.enum(['cancelled', 'expired', 'abandoned']),
});
const stockSold = z.object({ orderId: id, lines: stockLines });

const paymentCompleted = z.object({ orderId: id });

/** A payment of an order changed state at the provider (authorized, failed, captured, voided, refunded). */
const paymentChanged = z.object({
  orderId: id,
  paymentId: id,
  customerId: id,
  amount: money,
  provider: z.string().min(1).max(50),
  providerPaymentId: z.string().min(1).max(200),
  /** failed: the decline message; voided/refunded: why. */
  reason: z.string().max(1000).optional(),
});

/** A shipment of an order changed state (created READY, shipped with a carrier, delivered). */
const shipmentChanged = z.object({
  orderId: id,
  shipmentId: id,
  customerId: id,
  carrier: z.string().min(1).max(100).optional(),
  trackingNumber: z.string().min(1).max(100).optional(),
  trackingUrl: z.string().url().max(2000).optional(),
  at: z.string().datetime({ offset: true }),
});

export const eventDataSchemas = {
  'order.created': orderCreated,
  'order.confirmed': orderConfirmed,
  'order.completed': orderStatusChanged,
  'order.cancelled': orderStatusChanged,
  'order.shipped': orderShipped,
  'product.created': productCreated,
  'product.updated': productUpdated,
  'product.price.changed': productPriceChanged,
  'stock.held': stockHeld,
  'stock.released': stockReleased,
  'stock.sold': stockSold,
  'reward.issued': reward,
  'reward.redeemed': reward,
  'reward.expired': reward,
  'payment.completed': paymentCompleted,
  'payment.authorized': paymentChanged,
  'payment.failed': paymentChanged,
  'payment.captured': paymentChanged,
  'payment.voided': paymentChanged,
  'payment.refunded': paymentChanged,
  'shipment.created': shipmentChanged,
  'shipment.shipped': shipmentChanged,
  'shipment.delivered': shipmentChanged,
} as const;

export type EventType = keyof typeof eventDataSchemas;
export type EventData<T extends EventType> = z.infer<(typeof eventDataSchemas)[T]>;

export const EVENT_TYPES = Object.keys(eventDataSchemas) as EventType[];

/** Which context publishes each event type; on EventBridge the Source is `ecommerce.<context>`. */
export const EVENT_SOURCES = {
  'order.created': 'orders',
  'order.confirmed': 'orders',
  'order.completed': 'orders',
  'order.cancelled': 'orders',
  'order.shipped': 'orders',
  'product.created': 'catalog',
  'product.updated': 'catalog',
  'product.price.changed': 'catalog',
  'stock.held': 'catalog',
  'stock.released': 'catalog',
  'stock.sold': 'catalog',
  'reward.issued': 'rewards',
  'reward.redeemed': 'rewards',
  'reward.expired': 'rewards',
  'payment.completed': 'payments',
  'payment.authorized': 'payments',
  'payment.failed': 'payments',
  'payment.captured': 'payments',
  'payment.voided': 'payments',
  'payment.refunded': 'payments',
  'shipment.created': 'shipping',
  'shipment.shipped': 'shipping',
  'shipment.delivered': 'shipping',
} as const satisfies Record<EventType, string>;

export type EventSource = (typeof EVENT_SOURCES)[EventType];

/** Catalog's stock events: each changes products' available or reserved quantities. */
export const STOCK_EVENT_TYPES = ['stock.held', 'stock.released', 'stock.sold'] as const;

/** The order status events the gateway turns into subscription updates. */
export const ORDER_STATUS_EVENT_TYPES = ['order.created', 'order.confirmed', 'order.shipped', 'order.completed', 'order.cancelled'] as const;
