import { decideNotification, type Notification, type NotificationTrigger } from '../domain/notification';
import type { DeliveryKey } from '../domain/delivery-record';
import { MailRejectedError, type NotificationsDependencies } from './ports';

/**
 * What became of one recipient's email for an event: sent now; already handled by an earlier delivery (a
 * duplicate event); refused for good by the mail server; or not sent at all (skipped, with the reason recorded).
 */
export type NotifyOutcome =
  | {
      readonly outcome: 'sent';
      readonly key: DeliveryKey;
      readonly messageId: string;
      readonly attempt: number;
      /** false: the claim had run out and was taken over before the record was written (a second copy may follow). */
      readonly recorded: boolean;
    }
  | { readonly outcome: 'duplicate'; readonly key: DeliveryKey; readonly status: 'SENT' | 'REJECTED' | 'SKIPPED' }
  | { readonly outcome: 'rejected'; readonly key: DeliveryKey; readonly reason: string }
  | { readonly outcome: 'skipped'; readonly key: DeliveryKey; readonly reason: string; readonly duplicate: boolean };

/** A live claim of another attempt: this delivery fails, so the transport brings it back after a backoff. */
export class DeliveryInProgressError extends Error {
  constructor(key: DeliveryKey, leaseUntil: Date) {
    super(`the ${key.recipient} email of event ${key.eventId} is being sent by another attempt (its claim runs until ${leaseUntil.toISOString()})`);
    this.name = 'DeliveryInProgressError';
  }
}

/**
 * Sends the emails an event calls for, exactly once per event and recipient (docs/notifications.md):
 * 1. reads the order from Orders and decides what to send, and to whom (domain/notification.ts);
 * 2. renders the email, then claims the delivery record (a conditional write: one claimant at a time);
 * 3. hands the email to the mail server, and marks the record SENT the moment the server has taken it.
 * A failed send releases the claim (FAILED) and rethrows, so the transport retries with backoff and
 * dead-letters after the consumer's attempts. The Message-ID is derived from the event and the recipient, so
 * every attempt at one delivery carries the same one.
 */
export async function notify(deps: NotificationsDependencies, trigger: NotificationTrigger): Promise<NotifyOutcome[]> {
  const order = await deps.orders.find(trigger.orderId);
  const decision = decideNotification(trigger, order);
  if ('skip' in decision) {
    const key = { eventId: trigger.eventId, recipient: decision.recipient };
    const recorded = await deps.records.recordSkipped(key, {
      kind: trigger.kind,
      orderId: trigger.orderId,
      reason: decision.skip,
      detail: decision.detail,
      at: deps.clock.now(),
    });
    return [{ outcome: 'skipped', key, reason: decision.detail, duplicate: recorded === 'duplicate' }];
  }
  const outcomes: NotifyOutcome[] = [];
  for (const notification of decision.send) outcomes.push(await deliverOnce(deps, notification));
  return outcomes;
}

async function deliverOnce(deps: NotificationsDependencies, notification: Notification): Promise<NotifyOutcome> {
  const { trigger, recipient } = notification;
  const key: DeliveryKey = { eventId: trigger.eventId, recipient: recipient.role };
  const messageId = messageIdFor(key, deps.sender.address);
  // Rendered before claiming: a template that throws must not leave a claim behind.
  const rendered = deps.render(notification);
  const token = deps.newToken();
  const now = deps.clock.now();
  const claim = await deps.records.claim({
    key,
    kind: trigger.kind,
    orderId: trigger.orderId,
    address: recipient.address.value,
    messageId,
    token,
    now,
    leaseUntil: new Date(now.getTime() + deps.claimLeaseMs),
  });
  if (claim.outcome === 'done') return { outcome: 'duplicate', key, status: claim.status };
  if (claim.outcome === 'in-progress') throw new DeliveryInProgressError(key, claim.leaseUntil);

  let receipt;
  try {
    receipt = await deps.mailer.send({
      from: deps.sender,
      to: { name: recipient.name, address: recipient.address.value },
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof MailRejectedError) {
      await deps.records.markRejected(key, token, { at: deps.clock.now(), reason: message });
      return { outcome: 'rejected', key, reason: message };
    }
    await deps.records.markFailed(key, token, { at: deps.clock.now(), error: message }).catch(() => undefined);
    throw error;
  }
  // The one write between the server's acceptance and the record: a crash before it lands is the only way to
  // send twice, so it is retried in place through a short DynamoDB hiccup rather than by redelivering the event.
  const sent = { at: deps.clock.now(), providerMessageId: receipt.providerMessageId };
  const recorded = await withRetries(() => deps.records.markSent(key, token, sent), MARK_SENT_ATTEMPTS);
  return { outcome: 'sent', key, messageId, attempt: claim.attempt, recorded };
}

const MARK_SENT_ATTEMPTS = 4;

async function withRetries<T>(operation: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

/**
 * RFC 5322 §3.6.4 Message-ID, the same for every attempt at one delivery: `<notification.<event>.<recipient>@<sender's
 * domain>>`. Characters outside the dot-atom set are hex-escaped, so any event id makes a valid, distinct id.
 */
export function messageIdFor(key: DeliveryKey, senderAddress: string): string {
  const atom = (value: string) => value.replace(/[^A-Za-z0-9!#$%&'*+/?^_`{|}~-]/g, (character) => `=${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const domain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);
  return `<notification.${atom(key.eventId)}.${atom(key.recipient)}@${domain}>`;
}
