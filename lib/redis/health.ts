import Redis from 'iovalkey';
import { redisOptionsFromUrl } from './client';

/**
 * A readiness probe of Redis: its own short-lived connection and a PING, failing fast (no offline queue, no
 * reconnection), so a probe tells whether Redis answers now rather than waiting for the clients' reconnection
 * backoff. Meant to be wrapped in cachedHealthCheck: probes then cost Redis one connection per cache period.
 */
export function redisHealthCheck(url: string, timeoutMs = 1000): () => Promise<void> {
  return async () => {
    const client = new Redis({
      ...redisOptionsFromUrl(url),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const reply = await client.ping();
      if (reply !== 'PONG') throw new Error(`Redis answered PING with ${JSON.stringify(reply)}`);
    } finally {
      client.disconnect();
    }
  };
}
