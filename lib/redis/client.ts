import Redis, { type RedisOptions } from 'iovalkey';

/**
 * A Redis connection from a `redis://` or `rediss://` URL (iovalkey, the client undici-cache-redis uses, so the
 * process has one Redis library). Commands issued while disconnected queue and replay on reconnect.
 */
export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(2000, 50 * 2 ** Math.min(attempt, 6)),
    ...options,
  });
}

/**
 * Resolves true once the connection is ready, or false after `timeoutMs` (Redis away at start-up is tolerated:
 * the caller degrades and the client keeps reconnecting). For clients without an offline queue, whose commands
 * fail rather than wait while connecting: a service awaits this before it listens.
 */
export function connectedWithin(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    client.on('ready', onReady);
  });
}

/** Host, port and TLS settings of a Redis URL, for libraries that take options rather than a URL. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
