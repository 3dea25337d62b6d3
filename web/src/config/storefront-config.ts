import { useEffect, useState } from 'react';

/**
 * The storefront's run-time settings, as the gateway serves them at /storefront-config.json (its side:
 * lib/config/storefront-config.ts). One build serves every environment; what differs (which card form, the publishable
 * key) comes from the gateway's settings. Read as untrusted JSON: anything unexpected means "no card form".
 */
export type PaymentsConfig =
  | { readonly provider: 'stripe'; readonly publishableKey: string }
  | { readonly provider: 'test-methods'; readonly publishableKey: string; readonly apiUrl: string }
  | { readonly provider: 'none' };

export interface StorefrontConfig {
  readonly payments: PaymentsConfig;
}

export const STOREFRONT_CONFIG_PATH = '/storefront-config.json';

const PUBLISHABLE_KEY = /^pk_(test|live)_[0-9A-Za-z]+$/;

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}

export function parsePaymentsConfig(value: unknown): PaymentsConfig {
  if (typeof value !== 'object' || value === null) return { provider: 'none' };
  const { provider, publishableKey, apiUrl } = value as Record<string, unknown>;
  const key = typeof publishableKey === 'string' && PUBLISHABLE_KEY.test(publishableKey) ? publishableKey : undefined;
  if (provider === 'stripe' && key) return { provider, publishableKey: key };
  const api = httpUrl(apiUrl);
  if (provider === 'test-methods' && key && api) return { provider, publishableKey: key, apiUrl: api };
  return { provider: 'none' };
}

export function parseStorefrontConfig(value: unknown): StorefrontConfig {
  const payments = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['payments'] : undefined;
  return { payments: parsePaymentsConfig(payments) };
}

let loading: Promise<StorefrontConfig> | undefined;

/** Read once per page load; a failed read is retried on the next use rather than remembered. */
export function loadStorefrontConfig(): Promise<StorefrontConfig> {
  loading ??= fetch(STOREFRONT_CONFIG_PATH, { headers: { accept: 'application/json' } })
    .then(async (response) => {
      if (!response.ok) throw new Error(`the shop's settings could not be read (HTTP ${response.status})`);
      return parseStorefrontConfig(await response.json());
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

export type StorefrontConfigState = { readonly config: StorefrontConfig; readonly error?: undefined } | { readonly config?: undefined; readonly error?: Error };

export function useStorefrontConfig(): StorefrontConfigState {
  const [state, setState] = useState<StorefrontConfigState>({});
  useEffect(() => {
    let current = true;
    loadStorefrontConfig().then(
      (config) => current && setState({ config }),
      (error: unknown) => current && setState({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
  }, []);
  return state;
}
