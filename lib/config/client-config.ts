import { appSettings } from './app-config';
import { ConfigError, env, parseEnv } from './env';
import { setting, settingsSchema, type Settings } from './setting';

/**
 * Settings of the clients on this machine: `npm run web:dev`, the examples and scripts. GATEWAY_URL has one meaning
 * for every one of them: where they reach the gateway, its base URL; the GraphQL endpoint is `<GATEWAY_URL>/graphql`.
 */
export const clientSettings = {
  GATEWAY_URL: setting(env.url(['http', 'https']), {
    group: 'development',
    default: '`http://localhost:<GATEWAY_PORT>`',
    description:
      'Where clients reach the gateway: `npm run web:dev` proxies the API there, the examples call it. The base URL; GraphQL is at `<GATEWAY_URL>/graphql` (a URL that ends in `/graphql`, such as the `GatewayUrl` output of `cdk deploy`, names the same gateway).',
  }),
  WEB_DEV_PORT: setting(env.port(5173), { group: 'development', description: "Vite's dev server of `npm run web:dev` (the next free port when it is taken)." }),
  CUSTOMER_TOKEN: setting(env.text(), {
    group: 'development',
    default: 'none',
    description: 'The customer token `examples/watch-order.ts` places its order with (`$(npm run -s token -- --sub customer-1)`).',
  }),
  ADMIN_TOKEN: setting(env.text(), {
    group: 'development',
    default: 'none: the example only watches (`--watch-only`)',
    description: 'The admin token `examples/watch-order.ts` confirms and completes the order with (`$(npm run -s token -- --sub admin-1 --admin)`).',
  }),
} satisfies Settings;

const schema = settingsSchema({ GATEWAY_PORT: appSettings.GATEWAY_PORT, GATEWAY_URL: clientSettings.GATEWAY_URL });
const webDevSchema = settingsSchema({ WEB_DEV_PORT: clientSettings.WEB_DEV_PORT });

/** The tokens the examples act with. */
export const exampleTokensSchema = settingsSchema({ CUSTOMER_TOKEN: clientSettings.CUSTOMER_TOKEN, ADMIN_TOKEN: clientSettings.ADMIN_TOKEN });

export interface GatewayAddress {
  /** The base URL, without a trailing slash: `http://localhost:4000`. */
  readonly url: string;
  /** GraphQL over HTTP: `<url>/graphql`. */
  readonly graphql: string;
  /** GraphQL over WebSocket (graphql-ws): the same path on ws:// or wss://. */
  readonly websocket: string;
}

/** The gateway clients reach: GATEWAY_URL, else this machine's GATEWAY_PORT. */
export function gatewayAddress(source: Record<string, string | undefined>): GatewayAddress {
  const raw = parseEnv(schema, source);
  if (raw.GATEWAY_URL === undefined && raw.GATEWAY_PORT === 0) {
    throw new ConfigError(['GATEWAY_URL: is required when GATEWAY_PORT is 0 (any free port): name the address the gateway printed']);
  }
  const url = (raw.GATEWAY_URL ?? `http://localhost:${raw.GATEWAY_PORT}`).replace(/\/+$/, '').replace(/\/graphql$/, '');
  return { url, graphql: `${url}/graphql`, websocket: `${url.replace(/^http/, 'ws')}/graphql` };
}

/** The port of `npm run web:dev` (WEB_DEV_PORT). */
export function webDevPort(source: Record<string, string | undefined>): number {
  return parseEnv(webDevSchema, source).WEB_DEV_PORT;
}

// What a failed connection says in its error code (Node's net and DNS, undici's connect timeout).
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/**
 * Why nothing answered, when `error` says that: the network error code under it, or the reason fetch gave for
 * refusing to connect at all (`bad port`). fetch wraps the failure in `TypeError: fetch failed` (cause), a name
 * with both an IPv4 and an IPv6 address fails with an AggregateError, and a WebSocket client reports an
 * ErrorEvent holding the socket's error. Undefined for anything else (an HTTP error status is an answer).
 */
export function unreachableReason(error: unknown): string | undefined {
  const code = networkCode(error, 0);
  if (code) return code;
  // Compared by shape, not instanceof: fetch's errors come from Node's own realm (a test's VM context has another).
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
  if (message === 'fetch failed' && typeof cause?.message === 'string') return cause.message;
  return undefined;
}

function networkCode(error: unknown, depth: number): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, cause, errors, error: inner } = error as { code?: unknown; cause?: unknown; errors?: unknown; error?: unknown };
  if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
  for (const nested of [...(Array.isArray(errors) ? errors : []), cause, inner]) {
    const found = networkCode(nested, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** What to tell someone whose client could not reach the gateway at `url`. */
export function gatewayUnreachableMessage(url: string, reason: string): string {
  return `cannot reach the gateway at ${url} (${reason}): start it with \`npm start\` (or \`npm run dev\`), or set GATEWAY_URL (or GATEWAY_PORT) to the gateway you mean`;
}
