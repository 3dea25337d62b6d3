import type { Notification, NotificationTrigger } from '../../domain/notification';
import { httpLink } from '../../domain/notification';
import type { PostalAddress } from '../../domain/order-snapshot';
import { orderReference } from '../format';
import { html, link, text, type SafeHtml } from '../markup';
import type { EmailBody } from '../layout';

type OrderShipped = Extract<NotificationTrigger, { kind: 'order-shipped' }>;

function addressLines(address: PostalAddress): string[] {
  return [
    address.name,
    address.line1,
    address.line2,
    [address.city, address.region, address.postalCode].filter((part) => part !== undefined && part !== '').join(' '),
    address.country,
  ].filter((line): line is string => line !== undefined && line.trim() !== '');
}

function addressHtml(address: PostalAddress): SafeHtml {
  return html`<p style="margin:0 0 0 12px">${addressLines(address).map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</p>`;
}

/** The parcel left: the carrier, the tracking number and, when it is a web link, where to follow it. */
export function orderShippedEmail({ order, trigger }: Notification & { trigger: OrderShipped }): EmailBody {
  const tracking = httpLink(trigger.trackingUrl);
  const intro = 'Good news: your order is on its way.';
  return {
    subject: `Your order ${orderReference(order.id)} has shipped`,
    preview: text`${intro} ${trigger.carrier} tracking number ${trigger.trackingNumber}.`,
    html: html`<p>${intro}</p>
<table role="presentation" cellpadding="0" cellspacing="0" style="font-size:14px">
<tr><td style="padding:2px 12px 2px 0;color:#52525b">Carrier</td><td>${trigger.carrier}</td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#52525b">Tracking number</td><td>${link(tracking, trigger.trackingNumber)}</td></tr>
</table>
${tracking ? html`<p>${link(tracking, 'Track your parcel')}</p>` : ''}
${order.shippingAddress ? html`<p>It is going to:</p>${addressHtml(order.shippingAddress)}` : ''}`,
    text: [
      intro,
      '',
      text`Carrier: ${trigger.carrier}`,
      text`Tracking number: ${trigger.trackingNumber}`,
      ...(tracking ? [text`Track your parcel: ${tracking}`] : []),
      ...(order.shippingAddress ? ['', 'It is going to:', ...addressLines(order.shippingAddress).map((line) => text`  ${line}`)] : []),
    ].join('\n'),
  };
}
