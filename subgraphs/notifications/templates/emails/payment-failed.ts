import type { Notification, NotificationTrigger } from '../../domain/notification';
import { formatDateTime, formatMoney, orderReference } from '../format';
import { html, text } from '../markup';
import { orderUrl, type EmailBody, type EmailContext } from '../layout';

type PaymentFailed = Extract<NotificationTrigger, { kind: 'payment-failed' }>;

/** A payment attempt was declined: why, and how to pay before the order's deadline cancels it. */
export function paymentFailedEmail({ order, trigger }: Notification & { trigger: PaymentFailed }, context: EmailContext): EmailBody {
  const amount = formatMoney(trigger.amount);
  const declined = trigger.reason ? text`Your payment of ${amount} did not go through: ${trigger.reason}` : text`Your payment of ${amount} did not go through.`;
  const deadline = order.paymentDueAt ? formatDateTime(order.paymentDueAt) : undefined;
  const keep = deadline
    ? text`Your items stay reserved until ${deadline}. To keep the order, pay again before then, with the same card or another one, from your order page.`
    : 'Your items stay reserved for a short while. To keep the order, pay again soon, with the same card or another one, from your order page.';
  const after = deadline ? text`If no payment is made by ${deadline}, the order is cancelled and the items are released.` : '';
  const url = orderUrl(context, order.id);
  return {
    subject: `Payment for order ${orderReference(order.id)} did not go through`,
    preview: declined,
    html: html`<p>${declined}</p>
<p>${keep}</p>
${url ? html`<p><a href="${url}" style="display:inline-block;padding:10px 18px;background:#1a56db;color:#ffffff;border-radius:6px;text-decoration:none">Pay again</a></p>` : ''}
${after ? html`<p style="color:#52525b">${after}</p>` : ''}`,
    text: [declined, '', keep, ...(url ? ['', text`Pay again: ${url}`] : []), ...(after ? ['', after] : [])].join('\n'),
  };
}
