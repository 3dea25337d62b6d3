import type Redis from 'iovalkey';
import type { Logger } from '../lib/logging';
import type { PersistedDocumentStore } from './trusted-documents/persisted-documents';

export interface PersistedQueryOptions {
  /** Shared by every gateway instance when set, so a document registered on one is known to all. */
  readonly redis?: { readonly client: Redis; readonly prefix: string } | undefined;
  /** Documents remembered in this process in front of Redis. */
  readonly localEntries?: number;
  /** How long a registered document is kept after its last registration. */
  readonly ttlSeconds?: number;
  readonly logger: Logger;
}

/**
 * Automatic persisted queries (Apollo's APQ protocol: a client sends the document's SHA-256 and, once told
 * PERSISTED_QUERY_NOT_FOUND, the document with it, which registers it). Documents live in Redis when configured,
 * else in this process. Redis failures read as "not found", so the client falls back to sending the document.
 * The edge resolves hashes through it (gateway/edge); under TRUSTED_DOCUMENTS it is not used at all, so nothing can
 * be registered there.
 */
export function automaticPersistedQueries(options: PersistedQueryOptions): PersistedDocumentStore {
  const local = new Map<string, string>();
  const maxLocal = options.localEntries ?? 5_000;
  const ttl = options.ttlSeconds ?? 24 * 3600;
  const remember = (hash: string, query: string) => {
    local.delete(hash);
    local.set(hash, query);
    if (local.size > maxLocal) local.delete(local.keys().next().value as string);
  };
  const redisKey = (hash: string) => `${options.redis?.prefix ?? ''}apq:${hash}`;
  return {
    exclusive: false,
    async get(hash) {
      const found = local.get(hash);
      if (found !== undefined || !options.redis) return found;
      try {
        const stored = await options.redis.client.get(redisKey(hash));
        if (stored === null) return undefined;
        remember(hash, stored);
        return stored;
      } catch (error) {
        options.logger.debug({ err: error }, 'persisted queries: Redis read failed; treated as not found');
        return undefined;
      }
    },
    async register(hash, query) {
      remember(hash, query);
      if (!options.redis) return;
      try {
        await options.redis.client.set(redisKey(hash), query, 'EX', ttl);
      } catch (error) {
        options.logger.debug({ err: error }, 'persisted queries: Redis write failed; kept in this process');
      }
    },
  };
}
