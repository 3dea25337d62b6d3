import type { ApolloServerOptions } from '@apollo/server';
import type Redis from 'iovalkey';
import type { Logger } from '../lib/logging';
import type { GatewayContext } from './gateway-context';

type PersistedQueriesOption = NonNullable<ApolloServerOptions<GatewayContext>['persistedQueries']>;
/** The store Apollo Server's automatic persisted queries read and register documents in (keys `apq:<sha256>`). */
export type PersistedQueryCache = Exclude<PersistedQueriesOption, false>['cache'] & {};

export interface PersistedQueryOptions {
  /** Shared by every gateway instance when set, so a document registered on one is known to all. */
  readonly redis?: { readonly client: Redis; readonly prefix: string } | undefined;
  /** Documents remembered in this process in front of Redis. */
  readonly localEntries?: number;
  /** How long a registered document is kept after its last registration. */
  readonly ttlSeconds?: number;
  /**
   * Whether a client may register a new document (hash + query). The gate for trusted documents: when only a
   * manifest's documents may run, registration is refused and the store only serves what it holds.
   */
  readonly allowRegistration?: () => boolean;
  readonly logger: Logger;
}

/**
 * Automatic persisted queries (Apollo's APQ protocol: a client sends the document's SHA-256 and, once told
 * PERSISTED_QUERY_NOT_FOUND, the document with it). Documents live in Redis when configured, else in this process.
 * Redis failures read as "not found", so the client falls back to sending the document.
 */
export function persistedQueryStore(options: PersistedQueryOptions): { cache: PersistedQueryCache; ttl: number } {
  const local = new Map<string, string>();
  const maxLocal = options.localEntries ?? 5_000;
  const ttl = options.ttlSeconds ?? 24 * 3600;
  const remember = (key: string, value: string) => {
    local.delete(key);
    local.set(key, value);
    if (local.size > maxLocal) local.delete(local.keys().next().value as string);
  };
  const redisKey = (key: string) => `${options.redis?.prefix ?? ''}${key}`;
  const cache: PersistedQueryCache = {
    async get(key: string) {
      const found = local.get(key);
      if (found !== undefined || !options.redis) return found;
      try {
        const stored = await options.redis.client.get(redisKey(key));
        if (stored === null) return undefined;
        remember(key, stored);
        return stored;
      } catch (error) {
        options.logger.debug({ err: error }, 'persisted queries: Redis read failed; treated as not found');
        return undefined;
      }
    },
    async set(key: string, value: string) {
      if (options.allowRegistration && !options.allowRegistration()) return;
      remember(key, value);
      if (!options.redis) return;
      try {
        await options.redis.client.set(redisKey(key), value, 'EX', ttl);
      } catch (error) {
        options.logger.debug({ err: error }, 'persisted queries: Redis write failed; kept in this process');
      }
    },
    async delete(key: string) {
      local.delete(key);
      if (options.redis) await options.redis.client.del(redisKey(key)).catch(() => undefined);
      return true;
    },
  };
  return { cache, ttl };
}
