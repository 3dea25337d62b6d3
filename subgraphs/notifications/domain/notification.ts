import type { MoneyProps } from '../../../lib/ddd';
import { parseEmailAddress, type EmailAddress } from './email-address';
import type { OrderSnapshot } from './order-snapshot';

/** The emails a customer gets about an order, one per moment of its life that concerns them. */
export type NotificationKind = 'order-confirmed' | 'payment-failed' | 'order-shipped' | 'order-delivered' | 'order-cancelled';

export type CancellationCause = 'customer' | 'admin' | 'payment-timeout' | 'stock-expired';

interface TriggerBase {
  /** The event that asked for the email: the unit of "exactly once". */
  readonly eventId: string;
  readonly orderId: string;
  readonly occurredAt: string;
}

/** What happened, as far as an email is concerned (translated from the event by the consumer). */
export type NotificationTrigger =
  | (TriggerBase & { readonly kind: 'order-confirmed' })
  | (TriggerBase & { readonly kind: 'payment-failed'; readonly amount: MoneyProps; readonly reason: string | undefined })
  | (TriggerBase & {
      readonly kind: 'order-shipped';
      readonly carrier: string;
      readonly trackingNumber: string;
      /** Only an http(s) link survives (httpLink): an email never links anywhere else. */
      readonly trackingUrl: string | undefined;
    })
  | (TriggerBase & { readonly kind: 'order-delivered'; readonly deliveredAt: string })
  | (TriggerBase & { readonly kind: 'order-cancelled'; readonly reason: string | undefined; readonly cause: CancellationCause | undefined });

/** Who an email of an order goes to. Records are kept per role, not per address (see DeliveryKey). */
export type RecipientRole = 'customer';

export interface Recipient {
  readonly role: RecipientRole;
  readonly address: EmailAddress;
  /** How to greet them: the name on the shipping address, when there is one. */
  readonly name: string | undefined;
}

/** One email to send: what happened, the order as it is now, and to whom. */
export interface Notification {
  readonly trigger: NotificationTrigger;
  readonly order: OrderSnapshot;
  readonly recipient: Recipient;
}

/** Why no email goes out for an event; recorded, so "why did I get nothing" has an answer. */
export type SkipReason = 'order-not-found' | 'no-email-address' | 'unusable-email-address' | 'no-longer-awaiting-payment';

export type NotificationDecision =
  | { readonly send: readonly Notification[] }
  | { readonly skip: SkipReason; readonly recipient: RecipientRole; readonly detail: string };

/**
 * What is sent for an event, and to whom: the order's customer, at the order's contact address. No address, or
 * one that cannot be used safely, means no email (and a record saying so). A payment failure is not worth an
 * email once the order no longer waits for a payment (the customer paid another way meanwhile, or it was
 * cancelled, which has its own email).
 */
export function decideNotification(trigger: NotificationTrigger, order: OrderSnapshot | undefined): NotificationDecision {
  if (!order) return { skip: 'order-not-found', recipient: 'customer', detail: `Orders does not know order ${trigger.orderId}` };
  if (trigger.kind === 'payment-failed' && order.status !== 'PENDING') {
    return { skip: 'no-longer-awaiting-payment', recipient: 'customer', detail: `the order is ${order.status}, no longer waiting for a payment` };
  }
  if (order.email === undefined || order.email.trim() === '') {
    return { skip: 'no-email-address', recipient: 'customer', detail: 'the order has no email address' };
  }
  const parsed = parseEmailAddress(order.email);
  if (!parsed.ok) return { skip: 'unusable-email-address', recipient: 'customer', detail: `the order's email address cannot be used: ${parsed.problem}` };
  const name = displayName(order.shippingAddress?.name);
  return { send: [{ trigger, order, recipient: { role: 'customer', address: parsed.address, name } }] };
}

/**
 * A name fit for a To header and a greeting: one line (a line break in a header value would start a new
 * header), no control characters, at most 100 characters.
 */
export function displayName(raw: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed.
  const name = (raw ?? '').replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100).trim();
  return name === '' ? undefined : name;
}

/**
 * A link an email may carry: http or https only. Anything else (javascript:, data:, a relative path) would be a
 * way to put a hostile link in front of a customer under the shop's name, so it is dropped and the text stays.
 */
export function httpLink(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
