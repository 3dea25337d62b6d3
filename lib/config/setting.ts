import * as z from 'zod';
import { readerInfo } from './env';

/**
 * The sections of docs/configuration.md, in the order the page shows them. A setting names its section; a section
 * nothing names is left out of the page.
 */
export const SETTING_GROUPS = {
  mode: {
    title: 'Mode',
    intro: 'Whether the development defaults apply. Only `development` and `test` use them; anything else is production.',
  },
  ports: {
    title: 'Ports and URLs',
    intro: 'Where each service listens and where the others reach it. Unset URLs are derived from the ports, on loopback.',
  },
  data: {
    title: 'Data',
    intro: 'DynamoDB and Redis. Tables and Redis keys are named under one prefix, so deployments and test runs can share a DynamoDB and a Redis.',
  },
  identity: {
    title: 'Identity and secrets',
    intro:
      'Client tokens, the identity the gateway forwards, signed events and who may call from a browser. Outside `NODE_ENV=development` or `test` every secret must be set, not a development value, and at least 32 characters long ([security.md](security.md)).',
  },
  limits: {
    title: 'Gateway limits',
    intro: 'What one operation, one request and one subscriber may ask of the gateway. Every limit fails closed with its `extensions.code`.',
  },
  rateLimits: {
    title: 'Rate limits',
    intro: "Budgets per caller and per client address, shared by every gateway instance through Redis (in memory without it).",
  },
  timeouts: {
    title: 'Timeouts and resilience',
    intro: 'Deadlines, and the circuit breakers in front of other services.',
  },
  caches: {
    title: 'Caches and the gateway’s performance',
    intro: 'Each lever is on by default and can be turned off alone, to measure what it is worth (`npm run bench -- gateway`).',
  },
  events: {
    title: 'Events',
    intro: 'The transport of domain events (outbox, relay, idempotent consumers: [architecture.md §4](architecture.md#4-domain-events)).',
  },
  orders: {
    title: 'Orders and stock',
    intro: "Stock held for orders, idempotent placement, an order's payment deadline and the caps on what one customer may hold ([payments.md](payments.md)).",
  },
  payments: {
    title: 'Payments',
    intro: 'The payment provider and the Stripe-protocol emulator development runs against ([payments.md](payments.md)).',
  },
  mail: {
    title: 'Mail',
    intro: 'How the Notifications worker sends the customer\'s emails ([notifications.md](notifications.md)).',
  },
  observability: {
    title: 'Observability',
    intro: 'Logs, metrics and traces ([operations.md](operations.md)).',
  },
  development: {
    title: 'Development only',
    intro: '`npm start`, `npm run dev`, `npm run web:dev` and the examples; a deployment never reads these.',
  },
} as const;

export type SettingGroup = keyof typeof SETTING_GROUPS;

export interface SettingDoc {
  readonly group: SettingGroup;
  /** What it does, for docs/configuration.md: a sentence or two, Markdown. */
  readonly description: string;
  /**
   * What applies when the variable is unset, in words, when the reader has no fallback of its own to show: a value
   * derived from other settings (`http://127.0.0.1:<CATALOG_PORT>/graphql`) or what happens instead (`none: tracing
   * off`). A reader's own fallback is shown as it is; a setting never has both.
   */
  readonly default?: string;
  /** What values it takes, in words, when its reader does not say (lib/config/env.ts readers do). */
  readonly accepts?: string;
}

/** A variable of this code's configuration: its zod reader, and what docs/configuration.md says about it. */
export interface Setting<S extends z.ZodType = z.ZodType> extends SettingDoc {
  readonly read: S;
}

/** A variable read by something other than this code's readers (the OpenTelemetry SDK, the AWS SDK, a script by hand). */
export interface ExternalSetting extends SettingDoc {
  readonly read?: undefined;
  /** Who reads it, for the page: `the OpenTelemetry SDK`, `lib/aws/variable-references.ts`. */
  readonly readBy: string;
}

export type AnySetting = Setting | ExternalSetting;
export type Settings = Readonly<Record<string, AnySetting>>;
type ReadSettings = Readonly<Record<string, Setting>>;

export function setting<S extends z.ZodType>(read: S, doc: SettingDoc): Setting<S> {
  return { read, ...doc };
}

export function externalSetting(doc: SettingDoc & { readonly readBy: string }): ExternalSetting {
  return doc;
}

/** The zod object that reads every variable of `settings` at once (parseEnv turns its issues into messages). */
export function settingsSchema<T extends ReadSettings>(settings: T): z.ZodObject<{ -readonly [K in keyof T]: T[K]['read'] }> {
  const shape = Object.fromEntries(Object.entries(settings).map(([name, declared]) => [name, declared.read]));
  return z.object(shape) as z.ZodObject<{ -readonly [K in keyof T]: T[K]['read'] }>;
}

/** The values `settings` read: what a function after the schema receives. */
export type SettingValues<T extends ReadSettings> = { readonly [K in keyof T]: z.output<T[K]['read']> };

/** A setting's default as the page shows it: its reader's fallback (a value it returns for unset), else its `default` text. */
export function documentedDefault(declared: AnySetting): string | undefined {
  const fallback = readerFallback(declared);
  if (fallback !== undefined) return `\`${formatValue(fallback)}\``;
  return declared.default;
}

/** What the reader returns when the variable is unset; undefined when it returns nothing (or is not this code's). */
export function readerFallback(declared: AnySetting): unknown {
  if (!declared.read) return undefined;
  const result = declared.read.safeParse(undefined);
  // An empty list read from nothing (TRUSTED_PROXIES) is "none", which the declaration's `default` says in words.
  if (!result.success || (Array.isArray(result.data) && result.data.length === 0)) return undefined;
  return result.data;
}

export function documentedAccepts(declared: AnySetting): string | undefined {
  return declared.accepts ?? (declared.read ? readerInfo.get(declared.read)?.accepts : undefined);
}

function formatValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
