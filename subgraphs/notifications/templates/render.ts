import type { Notification } from '../domain/notification';
import { orderCancelledEmail } from './emails/order-cancelled';
import { orderConfirmedEmail } from './emails/order-confirmed';
import { orderDeliveredEmail } from './emails/order-delivered';
import { orderShippedEmail } from './emails/order-shipped';
import { paymentFailedEmail } from './emails/payment-failed';
import { frame, type EmailBody, type EmailContext, type RenderedEmail } from './layout';

export type { EmailContext, RenderedEmail } from './layout';

/** The email of a notification, subject and both parts, from the template of its kind. */
export function renderEmail(notification: Notification, context: EmailContext): RenderedEmail {
  const { trigger } = notification;
  let body: EmailBody;
  switch (trigger.kind) {
    case 'order-confirmed':
      body = orderConfirmedEmail(notification);
      break;
    case 'payment-failed':
      body = paymentFailedEmail({ ...notification, trigger }, context);
      break;
    case 'order-shipped':
      body = orderShippedEmail({ ...notification, trigger });
      break;
    case 'order-delivered':
      body = orderDeliveredEmail({ ...notification, trigger });
      break;
    case 'order-cancelled':
      body = orderCancelledEmail({ ...notification, trigger });
      break;
    default: {
      const unknown: never = trigger;
      throw new TypeError(`no email template for ${JSON.stringify(unknown)}`);
    }
  }
  return frame(notification, context, body);
}
