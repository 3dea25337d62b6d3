import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { MailRejectedError, type MailAddress, type MailReceipt, type Mailer, type OutgoingEmail } from '../application/ports';
import { notificationHeaders } from './smtp-mailer';

export interface SesMailerOptions {
  readonly region: string;
  /** MAIL_SEND_TIMEOUT_MS: one SendEmail call, connection included. */
  readonly sendTimeoutMs: number;
  /** A client to use as is (tests point one at a local endpoint speaking the SES v2 protocol). */
  readonly client?: SESv2Client;
}

/**
 * An address as SES wants it in FromEmailAddress and ToAddresses: a display name in RFC 2047 encoded words when
 * it is not plain ASCII (SES v2 API reference, SendEmail), quoted otherwise.
 */
export function sesAddress({ name, address }: MailAddress): string {
  if (!name) return address;
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeWord(name, 'Q');
  return `${display} <${address}>`;
}

/**
 * Sends through Amazon SES v2 `SendEmail` (simple content: subject, text and HTML in UTF-8, plus the headers every
 * notification carries). SES replaces any Message-ID with its own, so the delivery's id travels in
 * X-Notification-Id and SES's MessageId is kept as the provider's id. The SDK's own retries are off: the queue
 * retries with the consumer's backoff, so one policy bounds the attempts. SES must have verified the sending
 * identity (docs/deploy.md).
 */
export class SesMailer implements Mailer {
  private readonly client: SESv2Client;
  private readonly ownsClient: boolean;

  constructor(options: SesMailerOptions) {
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new SESv2Client({
        region: options.region,
        maxAttempts: 1,
        requestHandler: { connectionTimeout: Math.min(5000, options.sendTimeoutMs), requestTimeout: options.sendTimeoutMs },
      });
  }

  async send(email: OutgoingEmail): Promise<MailReceipt> {
    const utf8 = (data: string) => ({ Data: data, Charset: 'UTF-8' });
    try {
      const output = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: sesAddress(email.from),
          Destination: { ToAddresses: [sesAddress(email.to)] },
          Content: {
            Simple: {
              Subject: utf8(email.subject),
              Body: { Text: utf8(email.text), Html: utf8(email.html) },
              Headers: Object.entries(notificationHeaders(email)).map(([Name, Value]) => ({ Name, Value })),
            },
          },
        }),
      );
      return { providerMessageId: output.MessageId };
    } catch (error) {
      // BadRequestException: SES will never take this request as it is (a malformed address). Everything else
      // (throttling, a paused account, an unverified identity, SES unreachable) waits for time or an operator.
      if ((error as { name?: string }).name === 'BadRequestException') {
        throw new MailRejectedError(`SES refused the message: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
  }

  close(): void {
    if (this.ownsClient) this.client.destroy();
  }
}
