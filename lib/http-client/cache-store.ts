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
  /**
   * How often the Redis store verifies that client-side caching still receives invalidations and that its
   * generation is the latest (see TrackedRedisCacheStore). Default 1 s.
   */
  readonly trackingCheckIntervalMs?: number;
  /** Told when the Redis store was replaced: to restore invalidations, or to fence entries from before an outage. */
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
  const tracking = options.tracking ?? true;
  const keyPrefix = options.keyPrefix ?? 'http-cache:';
  /** Stores replaced, dropped or closed: their connections stop reconnecting. */
  const retired = new WeakSet<RedisCacheStore>();
  const build = (connectionName: string, generation: string): RedisCacheStore => {
    const store: RedisCacheStore = new RedisCacheStore({
      clientOpts: {
        ...redisOptionsFromUrl(url),
        connectionName,
        // Every key under the shared generation (TrackedRedisCacheStore: fenced after an outage).
        keyPrefix: `${keyPrefix}${generation}:`,
        commandTimeout: options.commandTimeoutMs ?? 500,
        // Lookups must not wait for a connection that is down: fail the command, serve from the origin.
        maxRetriesPerRequest: 1,
        // RedisCacheStore.close() only sends QUIT; to a Redis that is down it would keep reconnecting for ever.
        retryStrategy: (attempt) => (retired.has(store) ? null : Math.min(1_000, 50 * 2 ** Math.min(attempt, 5))),
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
    return store;
  };
  const monitor = createRedisClient(url, { connectionName: 'http-cache-watchdog', lazyConnect: false });
  monitor.on('error', () => undefined);
  const watched = new TrackedRedisCacheStore({
    build,
    monitor,
    namePrefix: 'http-cache',
    generationKey: `${keyPrefix}generation`,
    tracking,
    joinTimeoutMs: options.commandTimeoutMs ?? 500,
    ...(options.trackingCheckIntervalMs !== undefined ? { checkIntervalMs: options.trackingCheckIntervalMs } : {}),
    ...(options.onTrackingRestored ? { onRebuild: options.onTrackingRestored } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    retire: (store) => retired.add(store),
  });
  const failingSince = async (run: (store: RedisCacheStore) => Promise<void>, what: string) => {
    await watched.ready();
    const store = watched.current;
    // Cut off from Redis: the caller (an at-least-once consumer) tries again; the store is fenced when it is back.
    if (!store) throw new Error(`the Redis cache store failed while it ${what}: Redis is not connected`);
    const before = failures;
    try {
      await run(store);
    } catch (error) {
      // A store closing under the call (Redis just went away) throws rather than reporting.
      throw new Error(`the Redis cache store failed while it ${what}`, { cause: error });
    }
    // RedisCacheStore catches its own failures and only reports them to errorCallback.
    if (failures !== before) throw new Error(`the Redis cache store failed while it ${what}`);
  };
  return {
    kind: 'redis',
    store: watched,
    deleteTags: (tags) => failingSince((store) => store.deleteTags([...tags]), `deleted tags ${tags.join(', ')}`),
    deleteKeys: (keys) => failingSince((store) => store.deleteKeys([...keys]), 'deleted keys'),
    async close() {
      await watched.close();
      monitor.disconnect();
    },
  };
}
