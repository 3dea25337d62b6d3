import type { CancellationCause, Notification, NotificationTrigger } from '../../domain/notification';
import { formatDateTime, orderReference } from '../format';
import { html, text } from '../markup';
import type { EmailBody } from '../layout';

type OrderCancelled = Extract<NotificationTrigger, { kind: 'order-cancelled' }>;

function why(cause: CancellationCause | undefined, paymentDueAt: string | undefined): string {
  switch (cause) {
    case 'payment-timeout':
      return paymentDueAt
        ? text`We did not receive a payment for it by ${formatDateTime(paymentDueAt)}, the deadline to pay, so it was cancelled.`
        : 'We did not receive a payment for it in time, so it was cancelled.';
    case 'customer':
      return 'It was cancelled at your request.';
    case 'admin':
      return 'The shop cancelled it.';
    case 'stock-expired':
      return 'Its items could not be reserved for it any longer, so it was cancelled.';
    default:
      return 'It was cancelled.';
  }
}

/** The order was cancelled: why (the cause and the reason given), and what happens to the money and the items. */
export function orderCancelledEmail({ order, trigger }: Notification & { trigger: OrderCancelled }): EmailBody {
  const explanation = why(trigger.cause, order.paymentDueAt);
  const reason = trigger.reason ?? order.cancellationReason;
  const reasonLine = reason ? text`Reason: ${reason}` : undefined;
  const money = 'Nothing is charged for it: any payment authorized for it is released, and any amount already taken is refunded.';
  return {
    subject: `Your order ${orderReference(order.id)} was cancelled`,
    preview: explanation,
    html: html`<p>${explanation}</p>
${reasonLine ? html`<p>${reasonLine}</p>` : ''}
<p>${money}</p>`,
    text: [explanation, ...(reasonLine ? ['', reasonLine] : []), '', money].join('\n'),
  };
}
