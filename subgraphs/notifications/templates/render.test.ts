import { describe, expect, it } from '@jest/globals';
import { decideNotification, type Notification, type NotificationTrigger } from '../domain/notification';
import type { OrderSnapshot } from '../domain/order-snapshot';
import { sampleOrder, sampleTrigger } from '../test-support/fixtures';
import { formatMoney } from './format';
import { escapeHtml, html, oneLine } from './markup';
import { renderEmail } from './render';

const context = { shopUrl: 'https://shop.example.com', shopName: 'Example Shop' };

function notificationOf(trigger: NotificationTrigger, order: OrderSnapshot = sampleOrder()): Notification {
  const decision = decideNotification(trigger, order);
  if (!('send' in decision)) throw new Error(`expected an email, got ${decision.skip}`);
  return decision.send[0]!;
}

const render = (trigger: NotificationTrigger, order?: OrderSnapshot) => renderEmail(notificationOf(trigger, order), context);

describe('the emails, one per kind', () => {
  it('order confirmed: the receipt with lines, quantities, unit prices and the total in the order currency', () => {
    const email = render(sampleTrigger('order-confirmed'));
    expect(email.subject).toBe('Order 3F2B9C1E confirmed: your receipt');
    expect(email.text.split('\n')).toEqual([
      'Hello Ada Lovelace,',
      '',
      'Thank you for your order. Your payment is authorized and we are getting your items ready.',
      '',
      'Order 3f2b9c1e-7a4d-4e2b-9f1a-0c8d6e5b4a21, placed Mar 1, 2026, 9:30 AM UTC',
      '',
      '  2 x Blue Mug at $12.50 each: $25.00',
      '  1 x Tea Towel at $19.97 each: $19.97',
      '',
      'Total: $44.97',
      '',
      'We will email you again when it ships.',
      '',
      'See your order: https://shop.example.com/orders/3f2b9c1e-7a4d-4e2b-9f1a-0c8d6e5b4a21',
      '',
      '--',
      'You receive this email because you placed order 3f2b9c1e-7a4d-4e2b-9f1a-0c8d6e5b4a21 with Example Shop.',
      '',
    ]);
    expect(email.html).toContain('<td style="padding:6px 4px;border-bottom:1px solid #e4e4e7">Blue Mug</td><td align="right" style="padding:6px 4px;border-bottom:1px solid #e4e4e7">2</td>');
    expect(email.html).toContain('>$12.50</td>');
    expect(email.html).toContain('<strong>$44.97</strong>');
    expect(email.html).toContain('<a href="https://shop.example.com/orders/3f2b9c1e-7a4d-4e2b-9f1a-0c8d6e5b4a21" style="color:#1a56db">See your order</a>');
    expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
  });

  it('formats each currency by its own minor units', () => {
    const yen = sampleOrder({
      total: { amount: 3600, currency: 'JPY' },
      items: [{ productId: 'p', productName: 'Matcha', unitPrice: { amount: 1200, currency: 'JPY' }, quantity: 3, lineTotal: { amount: 3600, currency: 'JPY' } }],
    });
    expect(render(sampleTrigger('order-confirmed'), yen).text).toContain('  3 x Matcha at ¥1,200 each: ¥3,600\n\nTotal: ¥3,600');
    expect(formatMoney({ amount: 12345, currency: 'KWD' })).toBe('KWD\u00a012.345');
    expect(formatMoney({ amount: 5, currency: 'EUR' })).toBe('€0.05');
    expect(formatMoney({ amount: 2_147_483_647, currency: 'USD' })).toBe('$21,474,836.47');
  });

  it('payment failed: the decline message, the deadline and how to pay again', () => {
    const email = render(sampleTrigger('payment-failed'), sampleOrder({ status: 'PENDING' }));
    expect(email.subject).toBe('Payment for order 3F2B9C1E did not go through');
    expect(email.text).toContain(
      [
        'Your payment of $44.97 did not go through: Your card was declined.',
        '',
        'Your items stay reserved until Mar 1, 2026, 9:45 AM UTC. To keep the order, pay again before then, with the same card or another one, from your order page.',
        '',
        'Pay again: https://shop.example.com/orders/3f2b9c1e-7a4d-4e2b-9f1a-0c8d6e5b4a21',
        '',
        'If no payment is made by Mar 1, 2026, 9:45 AM UTC, the order is cancelled and the items are released.',
      ].join('\n'),
    );
    expect(email.html).toContain('>Pay again</a>');
    expect(email.html).toContain('<p>Your payment of $44.97 did not go through: Your card was declined.</p>');
  });

  it('shipped: the carrier, the tracking number and its link, and where it goes', () => {
    const email = render(sampleTrigger('order-shipped'), sampleOrder({ status: 'SHIPPED' }));
    expect(email.subject).toBe('Your order 3F2B9C1E has shipped');
    expect(email.text).toContain(
      [
        'Good news: your order is on its way.',
        '',
        'Carrier: UPS',
        'Tracking number: 1Z999AA10123456784',
        'Track your parcel: https://www.ups.com/track?tracknum=1Z999AA10123456784&loc=en',
        '',
        'It is going to:',
        '  Ada Lovelace',
        '  12 St James Square',
        '  London SW1Y 4JH',
        '  GB',
      ].join('\n'),
    );
    // The & of the query string is escaped in the attribute (the browser reads it back as &).
    expect(email.html).toContain('<a href="https://www.ups.com/track?tracknum=1Z999AA10123456784&amp;loc=en" style="color:#1a56db">1Z999AA10123456784</a>');
    expect(email.html).toContain('<td style="padding:2px 12px 2px 0;color:#52525b">Carrier</td><td>UPS</td>');
  });

  it('shipped with a tracking link that is not http(s): the number, unlinked', () => {
    const email = render(sampleTrigger('order-shipped', { trackingUrl: 'javascript:alert(document.cookie)' }), sampleOrder({ status: 'SHIPPED' }));
    expect(email.html).not.toContain('javascript:');
    expect(email.text).not.toContain('javascript:');
    expect(email.html).toContain('<td>1Z999AA10123456784</td>');
    expect(email.text).not.toContain('Track your parcel');
  });

  it('delivered: when', () => {
    const email = render(sampleTrigger('order-delivered'), sampleOrder({ status: 'COMPLETED' }));
    expect(email.subject).toBe('Your order 3F2B9C1E was delivered');
    expect(email.text).toContain('Your order was delivered on Mar 4, 2026, 3:20 PM UTC.');
    expect(email.html).toContain('<p>Your order was delivered on Mar 4, 2026, 3:20 PM UTC.</p>');
  });

  it('cancelled: why, by cause, with the reason given', () => {
    const cancelled = sampleOrder({ status: 'CANCELLED' });
    const timeout = render(sampleTrigger('order-cancelled'), cancelled);
    expect(timeout.subject).toBe('Your order 3F2B9C1E was cancelled');
    expect(timeout.text).toContain(
      [
        'We did not receive a payment for it by Mar 1, 2026, 9:45 AM UTC, the deadline to pay, so it was cancelled.',
        '',
        'Reason: payment deadline passed',
        '',
        'Nothing is charged for it: any payment authorized for it is released, and any amount already taken is refunded.',
      ].join('\n'),
    );
    expect(render(sampleTrigger('order-cancelled', { cause: 'customer', reason: undefined }), cancelled).text).toContain('It was cancelled at your request.\n\nNothing is charged');
    expect(render(sampleTrigger('order-cancelled', { cause: 'admin', reason: 'out of stock' }), cancelled).text).toContain('The shop cancelled it.\n\nReason: out of stock');
  });

  it('greets without a name when the order has no shipping address, and has no links without a shop URL', () => {
    const email = renderEmail(notificationOf(sampleTrigger('order-confirmed'), sampleOrder({ shippingAddress: undefined })), { shopUrl: undefined, shopName: 'Example Shop' });
    expect(email.text.startsWith('Hello,\n')).toBe(true);
    expect(email.text).not.toContain('See your order');
    expect(email.html).not.toContain('<a ');
  });
});

describe('hostile values', () => {
  const hostileName = '<script>alert("x")</script> & "Bob" \'O\'Hare\'';
  const hostileOrder = sampleOrder({
    items: [
      {
        productId: 'p',
        productName: '<img src=x onerror=alert(1)>\r\nBcc: victim@example.com',
        unitPrice: { amount: 100, currency: 'USD' },
        quantity: 1,
        lineTotal: { amount: 100, currency: 'USD' },
      },
    ],
    total: { amount: 100, currency: 'USD' },
    shippingAddress: { name: hostileName, line1: '1 <b>Bold</b> Road', city: 'Town', postalCode: '1', country: 'GB' },
  });

  it('escapes every customer-supplied value in the HTML part', () => {
    const email = render(sampleTrigger('order-confirmed'), hostileOrder);
    expect(email.html).not.toMatch(/<script|<img|<b>/);
    expect(email.html).toContain('<p>Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Bob&quot; &#39;O&#39;Hare&#39;,</p>');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;\nBcc: victim@example.com');
    const shipped = render(sampleTrigger('order-shipped', { carrier: '<a href="https://evil.example">UPS</a>' }), hostileOrder);
    expect(shipped.html).toContain('<td>&lt;a href=&quot;https://evil.example&quot;&gt;UPS&lt;/a&gt;</td>');
    expect(shipped.html).toContain('1 &lt;b&gt;Bold&lt;/b&gt; Road');
  });

  it('keeps every value on its own line in the text part, so none can forge a line', () => {
    const email = render(sampleTrigger('order-confirmed'), hostileOrder);
    expect(email.text.split('\n')).toContain('  1 x <img src=x onerror=alert(1)> Bcc: victim@example.com at $1.00 each: $1.00');
    expect(email.text.split('\n').some((line) => line.startsWith('Bcc:'))).toBe(false);
    const declined = render(sampleTrigger('payment-failed', { reason: 'declined\n\nPay at https://evil.example instead' }), sampleOrder({ status: 'PENDING' }));
    expect(declined.text.split('\n')[2]).toBe('Your payment of $44.97 did not go through: declined Pay at https://evil.example instead');
  });

  it('removes control characters and bidirectional overrides, and keeps the subject on one line', () => {
    expect(oneLine('a\u202Egpj.exe\u0007\r\nb')).toBe('agpj.exe b');
    expect(escapeHtml('\u2066x\u2069<')).toBe('x&lt;');
    expect(html`${'<i>'}${html`<i>`}${['<', html`>`]}${undefined}${false}${0}`.markup).toBe('&lt;i&gt;<i>&lt;>0');
    const email = render(sampleTrigger('order-confirmed', { orderId: 'x\r\nBcc: a@b.c' }), sampleOrder({ id: 'x\r\nBcc: a@b.c' }));
    expect(email.subject).toBe('Order XBCCABC confirmed: your receipt');
  });
});
