import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { MailRejectedError, type MailReceipt, type Mailer, type OutgoingEmail } from '../application/ports';

export interface SmtpMailerOptions {
  /** SMTP_URL: `smtp://[user:pass@]host:port` (STARTTLS when the server offers it) or `smtps://` (implicit TLS). */
  readonly url: string;
  /** MAIL_SEND_TIMEOUT_MS: the whole hand-over, connection included; past it the attempt is abandoned and retried. */
  readonly sendTimeoutMs: number;
}

/** Headers every notification carries besides the usual ones. */
export function notificationHeaders(email: OutgoingEmail): Record<string, string> {
  return {
    // RFC 3834 §5: automatically generated, so auto-responders do not answer it.
    'Auto-Submitted': 'auto-generated',
    // The delivery's own id, also where a provider replaces the Message-ID with its own (SES does).
    'X-Notification-Id': email.messageId,
  };
}

/**
 * Sends through any SMTP server with nodemailer: one connection per email (no pool: an outage fails the email
 * in hand, and the next attempt starts clean), bounded by MAIL_SEND_TIMEOUT_MS through an AbortSignal as well as
 * nodemailer's own connection, greeting and socket timeouts. nodemailer resolves on the server's 250 reply to the
 * end of DATA, before QUIT: the moment the server has taken the message (RFC 5321 §4.1.1.4), so the caller
 * records it as sent without a round trip more. Local files and URLs as content are refused (nothing here asks
 * for them; a value that did would be an attack).
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly options: SmtpMailerOptions) {
    const connectMs = Math.min(10_000, options.sendTimeoutMs);
    this.transport = createTransport({
      url: options.url,
      connectionTimeout: connectMs,
      greetingTimeout: connectMs,
      socketTimeout: options.sendTimeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
    } as SMTPTransport.Options);
  }

  async send(email: OutgoingEmail): Promise<MailReceipt> {
    let info: SMTPTransport.SentMessageInfo;
    try {
      info = await this.transport.sendMail({
        from: { name: email.from.name ?? '', address: email.from.address },
        to: { name: email.to.name ?? '', address: email.to.address },
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        headers: notificationHeaders(email),
        signal: AbortSignal.timeout(this.options.sendTimeoutMs),
      } as Parameters<Transporter['sendMail']>[0]);
    } catch (error) {
      throw classify(error);
    }
    if (info.rejected.length > 0) throw new MailRejectedError(`the mail server refused ${email.to.address}: ${info.response}`);
    return { providerMessageId: info.response };
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * A 5xx answer to the envelope (RCPT TO: "550 no such user") or to the message itself (a content refusal) is the
 * server's final word on this message (RFC 5321 §4.2.1: permanent negative completion). Everything else (no
 * connection, a timeout, 4xx "try again later", an authentication failure that configuration will fix) is
 * worth another attempt, and a dead letter after the last.
 */
function classify(error: unknown): Error {
  const failure = error as { code?: string; responseCode?: number; message?: string } | null;
  const permanent = (failure?.code === 'EENVELOPE' || failure?.code === 'EMESSAGE') && (failure.responseCode ?? 0) >= 500;
  if (permanent) return new MailRejectedError(failure.message ?? 'the mail server refused the message', { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
