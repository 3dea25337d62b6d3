import { env } from './env';
import { setting, type Settings } from './setting';

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

export const DEFAULT_SMTP_PORT = 1025;
export const DEFAULT_MAILDEV_WEB_PORT = 1080;

/** How the shop sends email (docs/configuration.md "Mail", docs/notifications.md), declared as lib/config/setting.ts describes. */
export const mailEnv = {
  MAIL_TRANSPORT: setting(env.oneOf(['smtp', 'ses'], 'smtp'), {
    group: 'mail',
    description: '`smtp` sends through an SMTP server (nodemailer); `ses` through Amazon SES v2 `SendEmail` (the AWS deployment).',
  }),
  SMTP_URL: setting(env.url(['smtp', 'smtps']), {
    group: 'mail',
    default: 'the local maildev (`smtp://127.0.0.1:<SMTP_PORT>`) in development and test; required with `smtp` elsewhere',
    description: '`smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465` (implicit TLS). Set, `npm start` runs no maildev.',
  }),
  MAIL_FROM: setting(env.text(), {
    group: 'mail',
    accepts: 'an address, optionally with a name: `orders@example.com`, `Example Shop <orders@example.com>`',
    default: '`Federated Commerce <orders@shop.localhost>` in development and test; required elsewhere',
    description: 'The sender of every email; with SES, a verified identity. One address, no quotes, commas or line breaks.',
  }),
  MAIL_SEND_TIMEOUT_MS: setting(env.positiveInt(30_000), {
    group: 'mail',
    description: "The longest one email may take to hand over, connection included; a delivery's claim lasts twice it.",
  }),
  SHOP_URL: setting(env.url(['http', 'https']), {
    group: 'mail',
    default: "the gateway's local URL in development (`http://localhost:<GATEWAY_PORT>`); none elsewhere: emails carry no links",
    description: 'The storefront emails link to (order pages).',
  }),
  SMTP_PORT: setting(env.optionalPort(), {
    group: 'development',
    default: `${DEFAULT_SMTP_PORT}, or a free port when it is taken (said in the log and the banner)`,
    description: "Where `npm start` runs maildev's SMTP server. Set and taken, start-up stops with a message naming the variable.",
  }),
  MAILDEV_WEB_PORT: setting(env.optionalPort(), {
    group: 'development',
    default: `${DEFAULT_MAILDEV_WEB_PORT}, or a free port when it is taken (said in the log and the banner)`,
    description: `Where \`npm start\` serves maildev's inbox: every email the shop sends (\`http://localhost:${DEFAULT_MAILDEV_WEB_PORT}\` by default).`,
  }),
} satisfies Settings;

type MailEnv = {
  readonly MAIL_TRANSPORT: MailTransport;
  readonly SMTP_URL: string | undefined;
  readonly SMTP_PORT: number | undefined;
  readonly MAILDEV_WEB_PORT: number | undefined;
  readonly MAIL_FROM: string | undefined;
  readonly MAIL_SEND_TIMEOUT_MS: number;
  readonly SHOP_URL: string | undefined;
};

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
    transport: raw.MAIL_TRANSPORT,
    smtpUrl: raw.SMTP_URL ?? (options.production ? undefined : `smtp://127.0.0.1:${localSmtp}`),
    from,
    sendTimeoutMs: raw.MAIL_SEND_TIMEOUT_MS,
    // Port 0 means "any free port": the system that starts the gateway knows its address, this default cannot.
    shopUrl: (raw.SHOP_URL ?? (options.production || options.gatewayPort === 0 ? undefined : `http://localhost:${options.gatewayPort}`))?.replace(/\/+$/, ''),
    local: { smtpPort: raw.SMTP_PORT, webPort: raw.MAILDEV_WEB_PORT },
  };
}
