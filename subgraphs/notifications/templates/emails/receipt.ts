import type { OrderSnapshot } from '../../domain/order-snapshot';
import { formatDateTime, formatMoney } from '../format';
import { html, text, type SafeHtml } from '../markup';

/** The order's lines, quantities, unit prices and total: the receipt, in both parts. */
export function receiptHtml(order: OrderSnapshot): SafeHtml {
  const cell = 'padding:6px 4px;border-bottom:1px solid #e4e4e7';
  return html`<p style="color:#52525b;font-size:13px">Order ${order.id}, placed ${formatDateTime(order.placedAt)}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:14px">
<thead><tr><th align="left" style="${cell}">Item</th><th align="right" style="${cell}">Qty</th><th align="right" style="${cell}">Unit price</th><th align="right" style="${cell}">Amount</th></tr></thead>
<tbody>
${order.items.map(
  (line) =>
    html`<tr><td style="${cell}">${line.productName}</td><td align="right" style="${cell}">${line.quantity}</td><td align="right" style="${cell}">${formatMoney(line.unitPrice)}</td><td align="right" style="${cell}">${formatMoney(line.lineTotal)}</td></tr>
`,
)}</tbody>
<tfoot><tr><td colspan="3" align="right" style="padding:8px 4px"><strong>Total</strong></td><td align="right" style="padding:8px 4px"><strong>${formatMoney(order.total)}</strong></td></tr></tfoot>
</table>`;
}

export function receiptText(order: OrderSnapshot): string {
  return [
    text`Order ${order.id}, placed ${formatDateTime(order.placedAt)}`,
    '',
    ...order.items.map((line) => text`  ${line.quantity} x ${line.productName} at ${formatMoney(line.unitPrice)} each: ${formatMoney(line.lineTotal)}`),
    '',
    text`Total: ${formatMoney(order.total)}`,
  ].join('\n');
}
