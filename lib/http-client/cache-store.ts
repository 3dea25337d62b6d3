import { MemoryCacheStore } from './undici-parts';
import type CacheInterceptor from 'undici/types/cache-interceptor';
import { RedisCacheStore } from 'undici-cache-redis';
import { createRedisClient, redisOptionsFromUrl } from '../redis';
import { TrackedRedisCacheStore } from './tracked-redis-store';

export type CacheKey = CacheInterceptor.CacheKey;

export interface CacheStoreOptions {
  /** Redis (or Valkey) URL: responses are shared by every process using the same URL and key prefix. */
  readonly redisUrl?: string | undefined;
  /** Prefix of every Redis key of this store, e.g. "orders:catalog-http-cache:". */
  readonly keyPrefix?: string;
  /**
   * Redis client-side caching (CLIENT TRACKING): hits are answered from process memory, and Redis pushes an
   * invalidation when another process changes or deletes an entry. Default true.
   */
  readonly tracking?: boolean;
  /** Response header listing the tags an entry is indexed under (Redis only). Default "cache-tags". */
  readonly cacheTagsHeader?: string;
  /** Entries kept in process memory (the memory store, or the Redis tracking cache). Default 10,000. */
  readonly maxEntries?: number;
  /** Largest response stored. Default 1 MiB. */
  readonly maxEntryBytes?: number;
  /**
   * Bound on every Redis command: with Redis unreachable a lookup becomes a miss after this long instead of
   * waiting in iovalkey's offline queue (commands are queued without limit while reconnecting). Default 500 ms.
   */
  readonly commandTimeoutMs?: number;
  /** Store failures (the stores swallow them to keep serving from the origin); log them here. */
  readonly onError?: (error: Error) => void;
  /** How often the Redis store verifies that client-side caching still receives invalidations. Default 1 s. */
  readonly trackingCheckIntervalMs?: number;
  /** Told when the Redis store was replaced to restore invalidations (see TrackedRedisCacheStore). */
  readonly onTrackingRestored?: (reason: string) => void;
}

/** A cache store plus the ways to drop entries from it, which differ per store. */
export interface HttpCacheStore {
  readonly kind: 'redis' | 'memory';
  /** The store handed to undici's cache interceptor. */
  readonly store: CacheInterceptor.CacheStore;
  /**
   * Deletes every entry indexed under one of `tags` (Redis only: the memory store keeps no tag index).
   * Rejects when the store reported a failure meanwhile, so an at-least-once caller tries again.
   */
  readonly deleteTags: ((tags: readonly string[]) => Promise<void>) | undefined;
  /** Deletes the entries of these URLs (origin + path; every method and Vary variant). */
  deleteKeys(keys: readonly CacheKey[]): Promise<void>;
  close(): Promise<void>;
}

/** `RedisCacheStore` when a Redis URL is given (shared by every instance), undici's `MemoryCacheStore` otherwise. */
export function createCacheStore(options: CacheStoreOptions = {}): HttpCacheStore {
  return options.redisUrl ? redisStore(options.redisUrl, options) : memoryStore(options);
}

function memoryStore(options: CacheStoreOptions): HttpCacheStore {
  const store = new MemoryCacheStore({
    maxCount: options.maxEntries ?? 10_000,
    maxEntrySize: options.maxEntryBytes ?? 1024 * 1024,
  });
  return {
    kind: 'memory',
    store,
    deleteTags: undefined,
    async deleteKeys(keys) {
      for (const key of keys) await store.delete(key);
    },
    async close() {},
  };
}

function redisStore(url: string, options: CacheStoreOptions): HttpCacheStore {
  let failures = 0;
  let closed = false;
  const tracking = options.tracking ?? true;
  const build = (connectionName: string) =>
    new RedisCacheStore({
      clientOpts: {
        ...redisOptionsFromUrl(url),
        connectionName,
        keyPrefix: options.keyPrefix ?? 'http-cache:',
        commandTimeout: options.commandTimeoutMs ?? 500,
        // Lookups must not wait for a connection that is down: fail the command, serve from the origin.
        maxRetriesPerRequest: 1,
        // RedisCacheStore.close() only sends QUIT; to a Redis that is down it would keep reconnecting for ever.
        retryStrategy: (attempt) => (closed ? null : Math.min(1_000, 50 * 2 ** Math.min(attempt, 5))),
      },
      tracking,
      maxCount: options.maxEntries ?? 10_000,
      maxEntrySize: options.maxEntryBytes ?? 1024 * 1024,
      cacheTagsHeader: options.cacheTagsHeader ?? 'cache-tags',
      errorCallback: (error) => {
        failures += 1;
        options.onError?.(error);
      },
    });
  const monitor = tracking ? createRedisClient(url, { connectionName: 'http-cache-watchdog', lazyConnect: false }) : undefined;
  monitor?.on('error', () => undefined);
  const tracked = monitor
    ? new TrackedRedisCacheStore({
        build,
        monitor,
        namePrefix: 'http-cache',
        ...(options.trackingCheckIntervalMs !== undefined ? { checkIntervalMs: options.trackingCheckIntervalMs } : {}),
        ...(options.onTrackingRestored ? { onRebuild: options.onTrackingRestored } : {}),
        ...(options.onError ? { onError: options.onError } : {}),
      })
    : undefined;
  const untracked = tracked ? undefined : build('http-cache');
  const current = (): RedisCacheStore => tracked?.current ?? (untracked as RedisCacheStore);
  const failingSince = async (run: () => Promise<void>, what: string) => {
    const before = failures;
    await run();
    // RedisCacheStore catches its own failures and only reports them to errorCallback.
    if (failures !== before) throw new Error(`the Redis cache store failed while it ${what}`);
  };
  return {
    kind: 'redis',
    store: tracked ?? current(),
    deleteTags: (tags) => failingSince(() => current().deleteTags([...tags]), `deleted tags ${tags.join(', ')}`),
    deleteKeys: (keys) => failingSince(() => current().deleteKeys([...keys]), 'deleted keys'),
    async close() {
      closed = true;
      if (tracked) await tracked.close();
      else await current().close();
      monitor?.disconnect();
    },
  };
}
