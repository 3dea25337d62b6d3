import type { Registry } from 'prom-client';
import { createSigV4Signer, type RequestSigner } from '../../../../lib/aws/sigv4';
import type { AppConfig } from '../../../../lib/config';
import { createCacheStore, createHttpClient, type RetryPolicyOptions } from '../../../../lib/http-client';
import type { Logger } from '../../../../lib/logging';
import { CatalogHttpAcl } from './catalog-http-acl';

/**
 * How long past its freshness a cached product may stand in for a failing Catalog. Catalog grants
 * max-age=300 + stale-while-revalidate=60; this extends "Catalog is down, the product is cached, the order goes
 * through" to 10 minutes past staleness. Product changes do not wait for it: events invalidate by tag.
 */
export const DEFAULT_STALE_IF_ERROR_SECONDS = 600;

export interface CatalogAclOptions {
  /** Catalog's REST base URL (config.urls.catalogRest). */
  readonly baseUrl: string;
  /** Shared Redis cache when set (config.redisUrl); in-process memory cache otherwise. */
  readonly redisUrl?: string | undefined;
  /** Redis key prefix of the cache entries. */
  readonly keyPrefix?: string;
  /** Redis client-side tracking cache. Default true. */
  readonly tracking?: boolean;
  /** Bound on each Redis command of the cache; past it the lookup is a miss served by Catalog. Default 500 ms. */
  readonly cacheCommandTimeoutMs?: number;
  /** Budget of one lookup against Catalog, retries included (config.catalogAcl.timeoutMs). */
  readonly timeoutMs: number;
  readonly breakerThreshold: number;
  readonly breakerHalfOpenAfterMs: number;
  readonly staleIfErrorSeconds?: number;
  readonly retry?: RetryPolicyOptions;
  /** Signs requests to Catalog (SigV4 when Catalog is an IAM-authenticated Lambda function URL). */
  readonly sign?: RequestSigner;
  /** Orders' registry: the ACL's metrics appear on Orders' /metrics with client="catalog". */
  readonly registry: Registry;
  readonly logger: Logger;
}

/** The ACL's settings in the application configuration (lib/config). */
export function catalogAclSettings(
  config: AppConfig,
): Pick<CatalogAclOptions, 'baseUrl' | 'redisUrl' | 'timeoutMs' | 'breakerThreshold' | 'breakerHalfOpenAfterMs' | 'staleIfErrorSeconds' | 'sign'> {
  return {
    ...(config.subgraphAuth === 'iam' ? { sign: createSigV4Signer({ region: config.dynamodb.region }) } : {}),
    baseUrl: config.urls.catalogRest,
    redisUrl: config.redisUrl,
    timeoutMs: config.catalogAcl.timeoutMs,
    staleIfErrorSeconds: config.catalogAcl.staleIfErrorSeconds,
    breakerThreshold: config.catalogAcl.breakerThreshold,
    breakerHalfOpenAfterMs: config.catalogAcl.breakerHalfOpenAfterMs,
  };
}

/** Builds the Catalog ACL with its HTTP client and cache store; `close()` releases the pool and Redis connections. */
export function createCatalogAcl(options: CatalogAclOptions): CatalogHttpAcl {
  const logger = options.logger.child({ component: 'catalog-acl' });
  const cache = createCacheStore({
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix ?? 'orders:catalog-http-cache:',
    ...(options.tracking !== undefined ? { tracking: options.tracking } : {}),
    ...(options.cacheCommandTimeoutMs !== undefined ? { commandTimeoutMs: options.cacheCommandTimeoutMs } : {}),
    onError: (error) => logger.warn({ err: error }, 'Catalog HTTP cache store failed; lookups fall back to Catalog'),
    onTrackingRestored: (reason) => logger.warn({ reason }, 'Catalog HTTP cache store replaced to restore invalidations'),
  });
  const client = createHttpClient({
    client: 'catalog',
    registry: options.registry,
    cache,
    timeoutMs: options.timeoutMs,
    breaker: { threshold: options.breakerThreshold, halfOpenAfterMs: options.breakerHalfOpenAfterMs },
    staleIfErrorSeconds: options.staleIfErrorSeconds ?? DEFAULT_STALE_IF_ERROR_SECONDS,
    ...(options.retry ? { retry: options.retry } : {}),
    agent: { connectTimeoutMs: Math.min(1_000, options.timeoutMs) },
    ...(options.sign ? { sign: options.sign } : {}),
    logger,
  });
  return new CatalogHttpAcl({ baseUrl: options.baseUrl, client, cache, logger });
}
