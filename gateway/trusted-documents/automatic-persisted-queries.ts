import type Redis from 'iovalkey';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../lib/logging';
import type { PersistedDocumentStore } from './persisted-documents';

export interface PersistedQueryOptions {
  /** Shared by every gateway instance when set, so a document registered on one is known to all. */
  readonly redis?: { readonly client: Redis; readonly prefix: string } | undefined;
  /** The most document bytes kept: in this process, and (separately) in Redis for the whole deployment. */
  readonly maxBytes: number;
  /** How long a document is kept after it was last registered or read from Redis. */
  readonly ttlSeconds?: number;
  readonly logger: Logger;
}

/**
 * Registers a document, then forgets the least recently used ones until the documents fit in `maxBytes`, and any
 * not used within the TTL. One script, so concurrent registrations from several gateways keep the byte count exact.
 * KEYS: the documents (hash -> text), their last use (sorted set, milliseconds), the byte count.
 * ARGV: hash, text, maxBytes, now, ttlMs. Returns 1 when stored, 0 when it was there already, -1 when too large.
 */
const REGISTER = `
local docs, used, total = KEYS[1], KEYS[2], KEYS[3]
local hash, text, max, now, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local function forget(member)
  local size = redis.call('HSTRLEN', docs, member)
  redis.call('HDEL', docs, member)
  redis.call('ZREM', used, member)
  return redis.call('DECRBY', total, size)
end
for _, old in ipairs(redis.call('ZRANGEBYSCORE', used, '-inf', now - ttl, 'LIMIT', 0, 100)) do forget(old) end
if redis.call('HEXISTS', docs, hash) == 1 then
  redis.call('ZADD', used, now, hash)
  return 0
end
if string.len(text) > max then return -1 end
redis.call('HSET', docs, hash, text)
redis.call('ZADD', used, now, hash)
local bytes = redis.call('INCRBY', total, string.len(text))
while bytes > max do
  local oldest = redis.call('ZRANGE', used, 0, 1)
  local victim = oldest[1] == hash and oldest[2] or oldest[1]
  if victim == nil then break end
  bytes = forget(victim)
end
return 1
`;

/**
 * Automatic persisted queries (Apollo's APQ protocol: a client sends the document's SHA-256 and, once told
 * PERSISTED_QUERY_NOT_FOUND, the document with it, which registers it). The edge registers only documents that
 * parse, validate and pass the query limits, and charges the caller's rate budget for the bytes
 * (gateway/edge/admission.ts). What is kept is bounded by bytes, not by count: at most `maxBytes` of documents in
 * each process (least recently used forgotten first) and `maxBytes` in Redis for the deployment (least recently
 * registered or read forgotten first, and anything unused for the TTL). Redis failures read as "not found", so the
 * client falls back to sending the document. Under TRUSTED_DOCUMENTS it is not used at all.
 */
export function automaticPersistedQueries(options: PersistedQueryOptions): PersistedDocumentStore & { readonly register: NonNullable<PersistedDocumentStore['register']> } {
  const local = new LRUCache<string, string>({ maxSize: options.maxBytes, sizeCalculation: (text) => Math.max(1, Buffer.byteLength(text)) });
  const ttlMs = (options.ttlSeconds ?? 24 * 3600) * 1000;
  const redis = options.redis;
  const keys = redis ? [`${redis.prefix}apq:documents`, `${redis.prefix}apq:used`, `${redis.prefix}apq:bytes`] : [];
  return {
    exclusive: false,
    async get(hash) {
      const found = local.get(hash);
      if (found !== undefined || !redis) return found;
      try {
        const stored = await redis.client.hget(keys[0]!, hash);
        if (stored === null) return undefined;
        // Read means used: it stays ahead of documents nobody asks for (XX: never re-adds one just forgotten).
        void redis.client.zadd(keys[1]!, 'XX', Date.now(), hash).catch(() => undefined);
        local.set(hash, stored);
        return stored;
      } catch (error) {
        options.logger.debug({ err: error }, 'persisted queries: Redis read failed; treated as not found');
        return undefined;
      }
    },
    async register(hash, query) {
      local.set(hash, query);
      if (!redis) return;
      try {
        await redis.client.eval(REGISTER, keys.length, ...keys, hash, query, options.maxBytes, Date.now(), ttlMs);
      } catch (error) {
        options.logger.debug({ err: error }, 'persisted queries: Redis write failed; kept in this process');
      }
    },
  };
}
