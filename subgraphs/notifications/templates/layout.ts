import type { Notification } from '../domain/notification';
import { html, link, text, type SafeHtml } from './markup';

/** What every email needs besides its notification: where the shop is and what it is called. */
export interface EmailContext {
  /** The storefront's base URL (SHOP_URL), for "see your order" links; undefined: no links. */
  readonly shopUrl: string | undefined;
  /** The shop's name as the sender shows it (MAIL_FROM's name). */
  readonly shopName: string;
}

/** The content of one email, before the frame every email shares. */
export interface EmailBody {
  readonly subject: string;
  /** The first words mail clients show next to the subject (hidden in the HTML body). */
  readonly preview: string;
  readonly html: SafeHtml;
  readonly text: string;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** The order's page in the storefront, when the shop's URL is known. */
export function orderUrl(context: EmailContext, orderId: string): string | undefined {
  return context.shopUrl === undefined ? undefined : `${context.shopUrl}/orders/${encodeURIComponent(orderId)}`;
}

/** Greeting, body, a link to the order and a footer, in both parts; the HTML is a table layout mail clients render. */
export function frame(notification: Notification, context: EmailContext, body: EmailBody): RenderedEmail {
  const { order, recipient } = notification;
  const greeting = recipient.name ? `Hello ${recipient.name},` : 'Hello,';
  const url = orderUrl(context, order.id);
  const footer = `You receive this email because you placed order ${order.id} with ${context.shopName}.`;
  const htmlDocument = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${body.subject}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;font-family:Helvetica,Arial,sans-serif;color:#18181b">
<div style="display:none;max-height:0;overflow:hidden">${body.preview}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5">
<tr><td align="center" style="padding:24px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px">
<tr><td style="padding:24px 32px 8px 32px;font-size:20px;font-weight:bold">${context.shopName}</td></tr>
<tr><td style="padding:8px 32px 24px 32px;font-size:15px;line-height:1.5">
<p>${greeting}</p>
${body.html}
${url ? html`<p>${link(url, 'See your order')}</p>` : ''}
</td></tr>
<tr><td style="padding:16px 32px;font-size:12px;color:#71717a;border-top:1px solid #e4e4e7">${footer}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  const textDocument = [text`${greeting}`, '', body.text.trimEnd(), '', ...(url ? [text`See your order: ${url}`, ''] : []), '--', text`${footer}`, ''].join('\n');
  return { subject: text`${body.subject}`, html: htmlDocument.markup, text: textDocument };
}
