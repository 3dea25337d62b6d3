import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../lib/config';

/**
 * `npm start` records where its DynamoDB Local and Redis listen, so one-off commands (`npm run rewards:expire`)
 * reach the same data without the user copying addresses around. Explicit environment variables win.
 */
const fileOf = (dataDir: string) => join(dataDir, 'endpoints.json');

export function writeLocalEndpoints(dataDir: string, endpoints: { DYNAMODB_ENDPOINT?: string; REDIS_URL?: string }): void {
  mkdirSync(dataDir, { recursive: true });
  // REDIS_URL carries the local Redis password: owner-only, like DATA_DIR/redis/password.
  writeFileSync(fileOf(dataDir), `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
}

export function removeLocalEndpoints(dataDir: string): void {
  rmSync(fileOf(dataDir), { force: true });
}

export function localEndpointsEnv(dataDir = process.env['DATA_DIR'] ?? '.data'): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(fileOf(dataDir), 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/** Records the endpoints a configuration names until the returned handle is stopped (with the process). */
export function recordLocalEndpoints(config: Pick<AppConfig, 'dataDir' | 'dynamodb' | 'redisUrl'>): { stop(): Promise<void> } {
  writeLocalEndpoints(config.dataDir, {
    ...(config.dynamodb.endpoint ? { DYNAMODB_ENDPOINT: config.dynamodb.endpoint } : {}),
    ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
  });
  return {
    stop: async () => removeLocalEndpoints(config.dataDir),
  };
}
