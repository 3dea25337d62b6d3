import { startMaildev, type LocalMaildev } from '../../lib/mail/local';
import { waitForValue } from '../../lib/events/testing/wait-for';

/** A message as maildev's REST API lists it (`GET /api/email`), the fields tests read. */
export interface ReceivedEmail {
  readonly id: string;
  readonly subject: string;
  readonly from: readonly { address: string; name: string }[];
  readonly to: readonly { address: string; name: string }[];
  readonly text: string;
  readonly html: string;
  /** Header names in lower case (`message-id`, `x-notification-id`...). */
  readonly headers: Readonly<Record<string, string | string[]>>;
}

export interface TestMaildev extends LocalMaildev {
  /** Every message received so far, in arrival order. */
  emails(): Promise<ReceivedEmail[]>;
  /** The messages sent to `address`. */
  emailsTo(address: string): Promise<ReceivedEmail[]>;
  /** Waits until `address` has received `count` messages, and returns them. */
  waitForEmails(address: string, count: number, timeoutMs?: number): Promise<ReceivedEmail[]>;
}

/** The real maildev (its SMTP server and REST API) as a child process, for tests. */
export async function startTestMaildev(options: { smtpPort?: number; webPort?: number } = {}): Promise<TestMaildev> {
  const maildev = await startMaildev(options);
  const emails = async (): Promise<ReceivedEmail[]> => {
    const response = await fetch(`${maildev.webUrl}/api/email`);
    if (!response.ok) throw new Error(`maildev answered GET /api/email with ${response.status}`);
    return (await response.json()) as ReceivedEmail[];
  };
  const emailsTo = async (address: string) => (await emails()).filter((email) => email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
  return {
    ...maildev,
    emails,
    emailsTo,
    waitForEmails: (address, count, timeoutMs) =>
      waitForValue(
        `${count} email(s) to ${address}`,
        async () => {
          const received = await emailsTo(address);
          return received.length >= count ? received : undefined;
        },
        timeoutMs === undefined ? {} : { timeoutMs },
      ),
  };
}
