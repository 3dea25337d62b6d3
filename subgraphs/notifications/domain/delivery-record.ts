import type { NotificationKind, RecipientRole, SkipReason } from './notification';

/**
 * The unit of "exactly once": one event, one recipient. The recipient is a role (the order's customer), not an
 * address: if the customer changes the order's address after the email went out, a redelivery of the same event
 * finds the record and sends nothing to the new address either.
 */
export interface DeliveryKey {
  readonly eventId: string;
  readonly recipient: RecipientRole;
}

/**
 * CLAIMED: a worker is sending it (until `leaseUntil`); SENT: the mail server accepted it; FAILED: the last
 * attempt failed, and a retry may claim it again; REJECTED: the mail server refused the recipient for good;
 * SKIPPED: nothing to send (the reason says why).
 */
export type DeliveryStatus = 'CLAIMED' | 'SENT' | 'FAILED' | 'REJECTED' | 'SKIPPED';

export interface DeliveryRecord {
  readonly key: DeliveryKey;
  readonly kind: NotificationKind;
  readonly orderId: string;
  readonly status: DeliveryStatus;
  /** Where it went (or was going); absent when skipped for want of an address. */
  readonly address: string | undefined;
  readonly messageId: string | undefined;
  /** Claims made so far, the first one included. */
  readonly attempts: number;
  readonly leaseUntil: Date | undefined;
  readonly sentAt: Date | undefined;
  readonly providerMessageId: string | undefined;
  readonly lastError: string | undefined;
  readonly skipReason: SkipReason | undefined;
  readonly detail: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DeliveryClaim {
  readonly key: DeliveryKey;
  readonly kind: NotificationKind;
  readonly orderId: string;
  readonly address: string;
  readonly messageId: string;
  /** Unique to this attempt: only its holder may complete or release the claim. */
  readonly token: string;
  readonly now: Date;
  /** Past this, the claim is presumed abandoned (its worker died) and another attempt may take it. */
  readonly leaseUntil: Date;
}

export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly attempt: number }
  | { readonly outcome: 'done'; readonly status: 'SENT' | 'REJECTED' | 'SKIPPED' }
  | { readonly outcome: 'in-progress'; readonly leaseUntil: Date };

/**
 * The delivery records (the idempotency store). A claim succeeds when there is no record, when the last attempt
 * FAILED, or when a CLAIMED record's lease has run out; it is refused while another attempt holds a live lease,
 * and for good once SENT, REJECTED or SKIPPED. Every write is conditional, so concurrent deliveries of one event
 * cannot both claim it.
 */
export interface DeliveryRecords {
  claim(claim: DeliveryClaim): Promise<ClaimResult>;
  /** false: the claim was no longer this token's (its lease ran out and another attempt took it over). */
  markSent(key: DeliveryKey, token: string, sent: { readonly at: Date; readonly providerMessageId: string | undefined }): Promise<boolean>;
  markFailed(key: DeliveryKey, token: string, failure: { readonly at: Date; readonly error: string }): Promise<void>;
  markRejected(key: DeliveryKey, token: string, rejection: { readonly at: Date; readonly reason: string }): Promise<void>;
  /** 'duplicate': the event already has a record for this recipient (a redelivery). */
  recordSkipped(
    key: DeliveryKey,
    skip: { readonly kind: NotificationKind; readonly orderId: string; readonly reason: SkipReason; readonly detail: string; readonly at: Date },
  ): Promise<'recorded' | 'duplicate'>;
  find(key: DeliveryKey): Promise<DeliveryRecord | undefined>;
  /** Every record of an order's emails, oldest first. */
  findByOrder(orderId: string): Promise<DeliveryRecord[]>;
}
