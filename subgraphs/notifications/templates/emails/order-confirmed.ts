import type { Notification } from '../../domain/notification';
import { orderReference } from '../format';
import { html } from '../markup';
import type { EmailBody } from '../layout';
import { receiptHtml, receiptText } from './receipt';

/** The receipt: the payment is in, the order is confirmed. */
export function orderConfirmedEmail({ order }: Notification): EmailBody {
  const intro = 'Thank you for your order. Your payment is authorized and we are getting your items ready.';
  return {
    subject: `Order ${orderReference(order.id)} confirmed: your receipt`,
    preview: intro,
    html: html`<p>${intro}</p>
${receiptHtml(order)}
<p>We will email you again when it ships.</p>`,
    text: [intro, '', receiptText(order), '', 'We will email you again when it ships.'].join('\n'),
  };
}
