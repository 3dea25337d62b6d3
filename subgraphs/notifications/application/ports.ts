import type { Clock } from '../../../lib/ddd';
import type { DeliveryRecords } from '../domain/delivery-record';
import type { Notification } from '../domain/notification';
import type { OrderSnapshot } from '../domain/order-snapshot';

/** Orders' view of an order (its internal API); undefined when Orders does not know it. Throws when Orders cannot answer. */
export interface OrderDirectory {
  find(orderId: string): Promise<OrderSnapshot | undefined>;
}

export interface MailAddress {
  readonly name: string | undefined;
  readonly address: string;
}

/** One email, ready to hand to a mail server: every header value already checked, both parts rendered. */
export interface OutgoingEmail {
  readonly from: MailAddress;
  readonly to: MailAddress;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** RFC 5322 Message-ID, with its angle brackets: the same for every attempt at the same delivery. */
  readonly messageId: string;
}

export interface MailReceipt {
  /** What the mail server called it (SMTP's queue id in its reply, SES's MessageId), for tracing a complaint. */
  readonly providerMessageId: string | undefined;
}

/**
 * Hands an email to a mail server. Resolves once the server has taken responsibility for it (SMTP: the 250 reply
 * to the end of DATA; SES: SendEmail answered 200). Throws MailRejectedError when the server refuses the message
 * for good; any other error is transient (the server is down, slow or busy) and the delivery is retried.
 */
export interface Mailer {
  send(email: OutgoingEmail): Promise<MailReceipt>;
}

/** The mail server refused this message for good (e.g. SMTP 550 "no such mailbox" at RCPT TO): retrying cannot help. */
export class MailRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailRejectedError';
  }
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export type EmailRenderer = (notification: Notification) => RenderedEmail;

/** What the notify use case needs from the outside world; built by the composition root. */
export interface NotificationsDependencies {
  readonly orders: OrderDirectory;
  readonly mailer: Mailer;
  readonly records: DeliveryRecords;
  readonly render: EmailRenderer;
  readonly sender: MailAddress;
  readonly clock: Clock;
  readonly newToken: () => string;
  /**
   * How long a claim is presumed alive: longer than one send can take (the mailer gives up before it), so a live
   * attempt is never taken over, yet short enough that a crashed worker's email goes out on the next delivery.
   */
  readonly claimLeaseMs: number;
}
