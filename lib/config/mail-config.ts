import { env } from './env';

export type MailTransport = 'smtp' | 'ses';

/** A sender as MAIL_FROM gives it: `shop@example.com` or `Example Shop <shop@example.com>`. */
export interface MailSender {
  readonly name: string | undefined;
  readonly address: string;
}

/** How the Notifications context sends email (docs/notifications.md). */
export interface MailSettings {
  /** MAIL_TRANSPORT: SMTP through nodemailer (local, self-hosted), or Amazon SES v2 (AWS). */
  readonly transport: MailTransport;
  /**
   * SMTP_URL (`smtp://[user:pass@]host:port`, `smtps://` for implicit TLS). Unset in development and tests: the
   * local maildev on SMTP_PORT, which `npm start` runs. Unset in production: Notifications refuses to start.
   */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM; unset in production: Notifications refuses to start. */
  readonly from: MailSender | undefined;
  /** MAIL_SEND_TIMEOUT_MS: the longest one email may take to hand over, connection included. */
  readonly sendTimeoutMs: number;
  /** SHOP_URL: the storefront customers follow from an email (order page links); unset: no links. */
  readonly shopUrl: string | undefined;
  /** Where `npm start` runs maildev: SMTP_PORT (default 1025) and MAILDEV_WEB_PORT (default 1080); 0 = any free port. */
  readonly local: { readonly smtpPort: number | undefined; readonly webPort: number | undefined };
}

export const mailEnv = {
  MAIL_TRANSPORT: env.oneOf(['smtp', 'ses']),
  SMTP_URL: env.url(['smtp', 'smtps']),
  SMTP_PORT: env.optionalPort(),
  MAILDEV_WEB_PORT: env.optionalPort(),
  MAIL_FROM: env.text(),
  MAIL_SEND_TIMEOUT_MS: env.positiveInt(30_000),
  SHOP_URL: env.url(['http', 'https']),
};

type MailEnv = {
  readonly MAIL_TRANSPORT: MailTransport | undefined;
  readonly SMTP_URL: string | undefined;
  readonly SMTP_PORT: number | undefined;
  readonly MAILDEV_WEB_PORT: number | undefined;
  readonly MAIL_FROM: string | undefined;
  readonly MAIL_SEND_TIMEOUT_MS: number;
  readonly SHOP_URL: string | undefined;
};

export const DEFAULT_SMTP_PORT = 1025;
export const DEFAULT_MAILDEV_WEB_PORT = 1080;
/** The sender of development and test mail: `.localhost` is reserved (RFC 6761), so it can never reach anyone. */
export const DEV_MAIL_FROM: MailSender = { name: 'Federated Commerce', address: 'orders@shop.localhost' };

/**
 * An address MAIL_FROM may use: ASCII, one "@", no spaces, quotes, angle brackets or commas (each of those would
 * let the value carry a second address or a header), a domain of dot-separated labels.
 */
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const NAMED = /^([^<>"\r\n,;]{1,100})\s*<([^<>\s]+)>$/;

export function parseMailSender(raw: string): MailSender | string {
  const named = NAMED.exec(raw);
  const name = named?.[1]?.trim();
  const address = named ? named[2]! : raw;
  if (!ADDRESS.test(address) || address.length > 254) {
    return `must be an email address, optionally with a name (Shop <orders@example.com>), got ${JSON.stringify(raw)}`;
  }
  return { name: name || undefined, address };
}

export function mailSettings(raw: MailEnv, options: { production: boolean; gatewayPort: number }, problems: string[]): MailSettings {
  let from: MailSender | undefined = options.production ? undefined : DEV_MAIL_FROM;
  if (raw.MAIL_FROM !== undefined) {
    const parsed = parseMailSender(raw.MAIL_FROM);
    if (typeof parsed === 'string') problems.push(`MAIL_FROM: ${parsed}`);
    else from = parsed;
  }
  const localSmtp = raw.SMTP_PORT === undefined || raw.SMTP_PORT === 0 ? DEFAULT_SMTP_PORT : raw.SMTP_PORT;
  return {
    transport: raw.MAIL_TRANSPORT ?? 'smtp',
    smtpUrl: raw.SMTP_URL ?? (options.production ? undefined : `smtp://127.0.0.1:${localSmtp}`),
    from,
    sendTimeoutMs: raw.MAIL_SEND_TIMEOUT_MS,
    // Port 0 means "any free port": the system that starts the gateway knows its address, this default cannot.
    shopUrl: (raw.SHOP_URL ?? (options.production || options.gatewayPort === 0 ? undefined : `http://localhost:${options.gatewayPort}`))?.replace(/\/+$/, ''),
    local: { smtpPort: raw.SMTP_PORT, webPort: raw.MAILDEV_WEB_PORT },
  };
}
