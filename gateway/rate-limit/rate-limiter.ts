import type Redis from 'iovalkey';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../../lib/config/edge-config';
import { RateLimitedError } from '../../lib/ddd';
import type { Logger } from '../../lib/logging';

/** Whose budget a request spends: a signed-in caller's (by `sub`), an address's (anonymous or bad token), or an address's WebSocket subscribes. */
export type RateBucket = 'caller' | 'anonymous' | 'wsSubscribe';

export interface RateLimiter {
  readonly enabled: boolean;
  /** Points an operation of this cost spends: 1 for a cheap one, one more per `costPerPoint` units. */
  pointsFor(cost: number): number;
  /**
   * A RATE_LIMITED error when `key` is known to be over its budget, from memory (no store round trip): lets a
   * flood be turned away before its documents are even parsed.
   */
  blocked(bucket: RateBucket, key: string): RateLimitedError | undefined;
  /** Spends `points` from `key`'s budget; a RATE_LIMITED error when it is exhausted. */
  consume(bucket: RateBucket, key: string, points: number): Promise<RateLimitedError | undefined>;
  /** Counts a refusal by a limit kept elsewhere (the WebSocket caps), for `gateway_rate_limit_rejections_total`. */
  rejected(limit: RejectedLimit): void;
}

/** The `limit` label of `gateway_rate_limit_rejections_total`: a bucket, one of the WebSocket caps, or a subscription cap. */
export type RejectedLimit = RateBucket | 'wsConnections' | 'wsSubscribesPerConnection' | 'subscriptionsPerCaller' | 'subscriptionsPerAddress';

export const NO_RATE_LIMIT: RateLimiter = {
  enabled: false,
  pointsFor: () => 1,
  blocked: () => undefined,
  consume: () => Promise.resolve(undefined),
  rejected: () => undefined,
};

/** Keys remembered as over budget; more keys than this are forgotten oldest first (the store still limits them). */
const MAX_BLOCKED_KEYS = 100_000;

interface Budget {
  readonly limiter: RateLimiterAbstract;
  readonly points: number;
  readonly windowSeconds: number;
  readonly what: string;
}

/**
 * Fixed-window rate limits from rate-limiter-flexible, shared by every gateway instance through Redis (one
 * round trip per request: an atomic INCRBY + PEXPIRE script, pipelined with other commands), or in memory without
 * Redis. Limits fail closed: when Redis errors or is not connected, an in-memory insurance limiter with the same
 * budget keeps limiting on this instance. A key found over budget is remembered in memory until its window ends,
 * so a flood costs no store round trips at all.
 */
export function createRateLimiter(options: {
  settings: RateLimitSettings;
  redis?: Redis | undefined;
  keyPrefix: string;
  logger: Logger;
  /** Called for every refusal, with the limit that refused (metrics). */
  onRejected?: (limit: RejectedLimit) => void;
}): RateLimiter {
  const { settings, redis, keyPrefix, logger } = options;
  const onRejected = options.onRejected ?? (() => undefined);
  if (!settings.enabled) return NO_RATE_LIMIT;
  const budget = (bucket: RateBucket, points: number, windowSeconds: number, what: string): Budget => {
    const memory = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix: `${keyPrefix}${bucket}` });
    const limiter = redis
      ? new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${keyPrefix}${bucket}`,
          points,
          duration: windowSeconds,
          // Once over budget a key is refused from memory until its window ends: no Redis call per refused request.
          inMemoryBlockOnConsumed: points + 1,
          insuranceLimiter: memory,
          rejectIfRedisNotReady: true,
        })
      : memory;
    return { limiter, points, windowSeconds, what };
  };
  const budgets: Record<RateBucket, Budget> = {
    caller: budget('caller', settings.points, settings.windowSeconds, 'this caller'),
    anonymous: budget('anonymous', settings.anonymousPoints, settings.windowSeconds, 'this address'),
    wsSubscribe: budget('wsSubscribe', settings.wsSubscribesPerIp, 60, 'WebSocket subscribe messages from this address'),
  };
  const blockedUntil = new LRUCache<string, number>({ max: MAX_BLOCKED_KEYS });
  let loggedStoreFailure = 0;

  const refusal = (bucket: RateBucket, retryAfterMs: number): RateLimitedError => {
    onRejected(bucket);
    const target = budgets[bucket];
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new RateLimitedError(
      `too many requests: ${target.what} may spend ${target.points} points per ${target.windowSeconds} s; retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  };

  return {
    enabled: true,
    pointsFor: (cost) => Math.max(1, Math.ceil(cost / settings.costPerPoint)),
    blocked(bucket, key) {
      const until = blockedUntil.get(`${bucket}:${key}`);
      if (until === undefined) return undefined;
      const remaining = until - Date.now();
      return remaining > 0 ? refusal(bucket, remaining) : undefined;
    },
    async consume(bucket, key, points) {
      const target = budgets[bucket];
      try {
        await target.limiter.consume(key, Math.min(points, target.points));
        return undefined;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          blockedUntil.set(`${bucket}:${key}`, Date.now() + rejection.msBeforeNext);
          return refusal(bucket, rejection.msBeforeNext);
        }
        // Neither store answered (the insurance limiter failing too): refuse rather than serve unlimited.
        if (Date.now() - loggedStoreFailure > 10_000) {
          loggedStoreFailure = Date.now();
          logger.error({ err: rejection }, 'rate limiter failed; refusing requests until it recovers');
        }
        return refusal(bucket, 1000);
      }
    },
    rejected: onRejected,
  };
}
