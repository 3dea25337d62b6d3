import { Counter, type Registry } from 'prom-client';
import type { RetryPolicy } from '../../../lib/events/backoff';
import type { AnyEventEnvelope, EventConsumer, EventType } from '../../../lib/events';
import type { Logger } from '../../../lib/logging';
import { notify, type NotifyOutcome } from '../application/notify';
import type { NotificationsDependencies } from '../application/ports';
import type { NotificationTrigger } from '../domain/notification';

export const NOTIFICATIONS_CONSUMER_GROUP = 'notifications';

/** The events that may call for an email (docs/notifications.md, "What is sent when"). */
export const NOTIFICATION_EVENT_TYPES = ['order.confirmed', 'payment.failed', 'order.shipped', 'shipment.delivered', 'order.cancelled'] as const satisfies readonly EventType[];

/**
 * Mail servers go away for minutes (a restart, a provider's incident), far longer than the bus's default five
 * attempts a few seconds apart cover. Ten attempts, doubling from 1 s up to 60 s apart, keep trying for at least
 * two minutes (equal jitter never waits less than half the delay: 0.5 + 1 + 2 + 4 + 8 + 16 + 30 + 30 + 30 s), so an
 * outage of a minute loses nothing; what still fails is dead-lettered for an operator.
 */
export const NOTIFICATIONS_RETRY: RetryPolicy = { maxAttempts: 10, retryBackoff: { initialMs: 1_000, maxMs: 60_000 } };

/** What an event means for the emails of its order; undefined for an event that asks for none. */
export function triggerFromEvent(envelope: AnyEventEnvelope): NotificationTrigger | undefined {
  const base = { eventId: envelope.id, occurredAt: envelope.occurredAt };
  switch (envelope.type) {
    case 'order.confirmed':
      return { ...base, kind: 'order-confirmed', orderId: envelope.data.orderId };
    case 'payment.failed':
      return { ...base, kind: 'payment-failed', orderId: envelope.data.orderId, amount: envelope.data.amount, reason: envelope.data.reason };
    case 'order.shipped':
      return {
        ...base,
        kind: 'order-shipped',
        orderId: envelope.data.orderId,
        carrier: envelope.data.carrier,
        trackingNumber: envelope.data.trackingNumber,
        trackingUrl: envelope.data.trackingUrl,
      };
    case 'shipment.delivered':
      return { ...base, kind: 'order-delivered', orderId: envelope.data.orderId, deliveredAt: envelope.data.at };
    case 'order.cancelled':
      return { ...base, kind: 'order-cancelled', orderId: envelope.data.orderId, reason: envelope.data.reason, cause: envelope.data.cause };
    default:
      return undefined;
  }
}

/** notifications_emails_total{kind,outcome}: what became of each email asked for. */
function emailCounter(registry: Registry): Counter<'kind' | 'outcome'> {
  const existing = registry.getSingleMetric('notifications_emails_total') as Counter<'kind' | 'outcome'> | undefined;
  return (
    existing ??
    new Counter({
      name: 'notifications_emails_total',
      help: 'Emails asked for by events, by kind and outcome (sent, duplicate, rejected, skipped; failed: the attempt failed and is retried)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    })
  );
}

/**
 * The one consumer of the Notifications context, on every transport (Redis Streams or in-process locally, the
 * SQS queue on AWS): an event becomes a trigger, the notify use case sends what it calls for, and a failure is
 * thrown back to the transport, which retries with NOTIFICATIONS_RETRY and dead-letters after it.
 */
export function notificationsEventConsumer(
  deps: NotificationsDependencies,
  logger: Logger,
  options: { readonly registry?: Registry; readonly retry?: RetryPolicy } = {},
): EventConsumer {
  const emails = options.registry ? emailCounter(options.registry) : undefined;
  return {
    group: NOTIFICATIONS_CONSUMER_GROUP,
    types: NOTIFICATION_EVENT_TYPES,
    retry: options.retry ?? NOTIFICATIONS_RETRY,
    async handle(envelope) {
      const trigger = triggerFromEvent(envelope);
      if (!trigger) return;
      let outcomes: NotifyOutcome[];
      try {
        outcomes = await notify(deps, trigger);
      } catch (error) {
        emails?.inc({ kind: trigger.kind, outcome: 'failed' });
        throw error;
      }
      for (const outcome of outcomes) {
        emails?.inc({ kind: trigger.kind, outcome: outcome.outcome });
        const fields = { eventId: envelope.id, type: envelope.type, orderId: trigger.orderId, recipient: outcome.key.recipient, outcome: outcome.outcome };
        if (outcome.outcome === 'sent' && !outcome.recorded) {
          logger.error({ ...fields, messageId: outcome.messageId }, 'email sent after its claim ran out: another attempt may have sent it too');
        } else if (outcome.outcome === 'rejected') {
          logger.warn({ ...fields, reason: outcome.reason }, 'the mail server refused the email for good');
        } else {
          logger.info({ ...fields, ...('reason' in outcome ? { reason: outcome.reason } : {}) }, `${trigger.kind} email ${outcome.outcome}`);
        }
      }
    },
  };
}
