import { CatalogUnavailableError } from '../../../../lib/ddd';
import { ORIGIN_FAILURE_HEADER, isOriginFailureStatus, type CacheKey, type HttpCacheStore, type HttpClient } from '../../../../lib/http-client';
import { isProductId, productTag } from '../../../../lib/events/product-changes';
import type { Logger } from '../../../../lib/logging';
import { traced } from '../../../../lib/telemetry';
import type { ProductCacheInvalidator, ProductCatalog, ProductInfo } from '../../application/product-catalog';
import { isCatalogNotFound, translateCatalogProductBody } from './catalog-product-translation';

export interface CatalogHttpAclDependencies {
  /** Catalog's REST base URL, e.g. http://127.0.0.1:4001 (a path prefix is kept). */
  readonly baseUrl: string;
  readonly client: HttpClient;
  readonly cache: HttpCacheStore;
  readonly logger: Logger;
}

/**
 * Orders' anti-corruption layer to Catalog: reads products with `GET /products/:id` through the caching HTTP
 * client (one cache entry per product, shared across Orders instances when the store is Redis) and hands Orders
 * its own ProductInfo. Nothing of Catalog's representation, status codes or transport errors leaks out: a product
 * Catalog does not know is null, anything else that is not a product is CATALOG_UNAVAILABLE.
 */
export class CatalogHttpAcl implements ProductCatalog, ProductCacheInvalidator {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #client: HttpClient;
  readonly #cache: HttpCacheStore;
  readonly #logger: Logger;

  constructor(deps: CatalogHttpAclDependencies) {
    const base = new URL(deps.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#client = deps.client;
    this.#cache = deps.cache;
    this.#logger = deps.logger;
  }

  /** In the order of `ids`; each distinct id is one lookup (one span when traced), all of them concurrent. */
  async getProducts(ids: readonly string[]): Promise<(ProductInfo | null)[]> {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => traced('catalog-acl lookup', { 'commerce.product.id': id }, () => this.#lookup(id))));
    const byId = new Map(unique.map((id, index) => [id, found[index] ?? null]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Redis: deletes by tag `product:<id>`, which also reaches every other Orders instance (their tracking caches
   * are told by Redis). Memory: deletes this process's entry by its cache key. Rejects when the store failed, so
   * an at-least-once event consumer redelivers; deleting twice is harmless.
   */
  async invalidateProducts(ids: readonly string[]): Promise<void> {
    // Only ids that can have been cached; this also keeps glob characters out of the store's tag pattern.
    const cacheable = [...new Set(ids)].filter(isProductId);
    if (cacheable.length === 0) return;
    if (this.#cache.deleteTags) {
      await this.#cache.deleteTags(cacheable.map(productTag));
    } else {
      await this.#cache.deleteKeys(cacheable.map((id) => this.#cacheKey(id)));
    }
  }

  async close(): Promise<void> {
    await this.#client.close();
    await this.#cache.close();
  }

  #cacheKey(productId: string): CacheKey {
    return { origin: this.#origin, method: 'GET', path: this.#productPath(productId) };
  }

  #productPath(productId: string): string {
    return `${this.#basePath}/products/${productId}`;
  }

  async #lookup(productId: string): Promise<ProductInfo | null> {
    // Anything but a Catalog product id names no product (Catalog would answer 400), and never becomes a cache key.
    if (!isProductId(productId)) return null;
    let statusCode: number;
    let failure: string | undefined;
    let body: string;
    try {
      const response = await this.#client.dispatcher.request({
        origin: this.#origin,
        path: this.#productPath(productId),
        method: 'GET',
        headers: { accept: 'application/json' },
      });
      statusCode = response.statusCode;
      const failureHeader = response.headers[ORIGIN_FAILURE_HEADER];
      failure = Array.isArray(failureHeader) ? failureHeader.join(',') : failureHeader;
      body = await response.body.text();
    } catch (error) {
      this.#logger.warn({ err: error, productId }, 'Catalog lookup failed');
      throw this.#unavailable(productId, error);
    }

    if (statusCode === 200) {
      const translated = translateCatalogProductBody(body, productId);
      if (translated.ok) return translated.product;
      this.#logger.error({ productId, problems: translated.problems }, 'Catalog sent a product representation Orders cannot read');
      await this.#evict(productId);
      throw this.#unavailable(productId);
    }
    if (statusCode === 404 && isCatalogNotFound(body)) return null;
    if (isOriginFailureStatus(statusCode)) {
      // Never evict here: the stored entry is what stale-if-error serves while Catalog is failing.
      this.#logger.warn({ productId, statusCode, failure }, 'Catalog could not answer a product lookup');
    } else {
      this.#logger.error({ productId, statusCode, body: body.slice(0, 200) }, 'Catalog answered a product lookup outside its contract');
      await this.#evict(productId);
    }
    throw this.#unavailable(productId);
  }

  /**
   * The cache stores whatever carries cacheable headers; an answer the ACL could not use must not be replayed
   * for the rest of its max-age, so the next lookup goes back to Catalog.
   */
  async #evict(productId: string): Promise<void> {
    try {
      await this.#cache.deleteKeys([this.#cacheKey(productId)]);
    } catch (error) {
      this.#logger.warn({ err: error, productId }, 'could not drop an unreadable Catalog response from the cache');
    }
  }

  #unavailable(productId: string, cause?: unknown): CatalogUnavailableError {
    return new CatalogUnavailableError(
      `The product catalog is unavailable: product ${productId} could not be looked up. Try again shortly.`,
      { productId },
      cause === undefined ? undefined : { cause },
    );
  }
}
