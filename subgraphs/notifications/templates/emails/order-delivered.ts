import type { Notification, NotificationTrigger } from '../../domain/notification';
import { formatDateTime, orderReference } from '../format';
import { html, text } from '../markup';
import type { EmailBody } from '../layout';

type OrderDelivered = Extract<NotificationTrigger, { kind: 'order-delivered' }>;

/** The carrier delivered the parcel. */
export function orderDeliveredEmail({ order, trigger }: Notification & { trigger: OrderDelivered }): EmailBody {
  const delivered = text`Your order was delivered on ${formatDateTime(trigger.deliveredAt)}.`;
  const enjoy = 'We hope you enjoy it. If anything is wrong with it, reply to this email and tell us.';
  return {
    subject: `Your order ${orderReference(order.id)} was delivered`,
    preview: delivered,
    html: html`<p>${delivered}</p>
<p>${enjoy}</p>`,
    text: [delivered, '', enjoy].join('\n'),
  };
}
