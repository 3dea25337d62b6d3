import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { startMailAws, type MailAws } from '../../../test/support/mail-aws';
import { MailRejectedError, type OutgoingEmail } from '../application/ports';
import { SesMailer, sesAddress } from './ses-mailer';

/** SES v2 SendEmail through the AWS SDK against a local endpoint speaking the SES v2 REST-JSON protocol. */

let aws: MailAws;
let mailer: SesMailer;
let client: SESv2Client;
beforeAll(async () => {
  aws = await startMailAws();
  client = new SESv2Client({ region: 'eu-west-1', endpoint: aws.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
  mailer = new SesMailer({ region: 'eu-west-1', sendTimeoutMs: 5000, client });
});
afterAll(async () => {
  client.destroy();
  await aws.stop();
});

const email: OutgoingEmail = {
  from: { name: 'Café Shop', address: 'orders@shop.example' },
  to: { name: 'Ada "The Countess" Lovelace', address: 'ada@example.com' },
  subject: 'Order 3F2B9C1E confirmed: your receipt',
  text: 'Total: $44.97',
  html: '<p>Total: <strong>$44.97</strong></p>',
  messageId: '<notification.event-1.customer@shop.example>',
};

describe('SesMailer', () => {
  it('sends simple content in UTF-8 with both parts and the notification headers, signed for SES', async () => {
    const receipt = await mailer.send(email);
    expect(aws.sent).toHaveLength(1);
    const [sent] = aws.sent;
    expect(receipt).toEqual({ providerMessageId: sent!.messageId });
    expect(sent!.signedFor).toBe('eu-west-1/ses');
    expect(sent!.request).toEqual({
      FromEmailAddress: '=?UTF-8?Q?Caf=C3=A9_Shop?= <orders@shop.example>',
      Destination: { ToAddresses: ['"Ada \\"The Countess\\" Lovelace" <ada@example.com>'] },
      Content: {
        Simple: {
          Subject: { Data: 'Order 3F2B9C1E confirmed: your receipt', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Total: $44.97', Charset: 'UTF-8' }, Html: { Data: '<p>Total: <strong>$44.97</strong></p>', Charset: 'UTF-8' } },
          Headers: [
            { Name: 'Auto-Submitted', Value: 'auto-generated' },
            { Name: 'X-Notification-Id', Value: '<notification.event-1.customer@shop.example>' },
          ],
        },
      },
    });
  });

  it('turns a BadRequestException into a permanent rejection, and anything else into a retryable failure', async () => {
    aws.failNext.push({ status: 400, type: 'BadRequestException', message: 'Illegal address' });
    const rejected = mailer.send(email);
    await expect(rejected).rejects.toThrow(MailRejectedError);
    await expect(rejected).rejects.toThrow('SES refused the message: Illegal address');

    aws.failNext.push({ status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' });
    const throttled = mailer.send(email);
    await expect(throttled).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    await expect(throttled).rejects.not.toBeInstanceOf(MailRejectedError);

    aws.failNext.push({ status: 400, type: 'MessageRejected', message: 'Email address is not verified.' });
    await expect(mailer.send(email)).rejects.toMatchObject({ name: 'MessageRejected' });
  });

  it('formats addresses as SES wants them', () => {
    expect(sesAddress({ name: undefined, address: 'a@example.com' })).toBe('a@example.com');
    expect(sesAddress({ name: 'Shop', address: 'a@example.com' })).toBe('"Shop" <a@example.com>');
    expect(sesAddress({ name: 'Zoë', address: 'a@example.com' })).toBe('=?UTF-8?Q?Zo=C3=AB?= <a@example.com>');
  });
});
