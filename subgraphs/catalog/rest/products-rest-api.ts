import { ErrorCode, ServiceUnavailableError } from '../../../lib/ddd';
import { httpStatusOf } from '../../../lib/http/status';
import { isProductId } from '../../../lib/events/product-changes';
import { isNotModified } from '../../../lib/http/conditional';
import { findProducts } from '../application/find-products';
import type { CatalogDependencies } from '../application/catalog-dependencies';
import type { Product } from '../domain/product';
import { cacheTagsOf, representProduct, strongEtag } from './product-representation';

export interface RestRequest {
  readonly method: string;
  /** Path without the query string, e.g. /products/0b9c... */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly header: (name: string) => string | undefined;
}

export interface RestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

export interface RestApiOptions {
  /** Freshness lifetime in seconds (RFC 9111 max-age). */
  readonly maxAgeSeconds: number;
  readonly staleWhileRevalidateSeconds: number;
}

export const DEFAULT_REST_CACHE: RestApiOptions = { maxAgeSeconds: 300, staleWhileRevalidateSeconds: 60 };
export const MAX_IDS_PER_REQUEST = 100;

/**
 * Catalog's cache-friendly read API (docs/architecture.md §1), independent of any HTTP framework so the local server and the
 * Lambda handler serve the very same responses:
 *   GET /products/:id       one product
 *   GET /products?ids=a,b   up to 100 products: { products: [...], notFound: [...] }
 * Responses carry Cache-Control, a strong ETag, Last-Modified and Cache-Tags; conditional requests get 304.
 */
export function createProductsRestApi(deps: CatalogDependencies, options: RestApiOptions = DEFAULT_REST_CACHE) {
  const cacheControl = `public, max-age=${options.maxAgeSeconds}, stale-while-revalidate=${options.staleWhileRevalidateSeconds}`;

  function cacheable(req: RestRequest, body: string, products: readonly Product[]): RestResponse {
    const etag = strongEtag(body);
    const lastModified = new Date(Math.max(...products.map((p) => p.updatedAt.getTime())));
    const headers: Record<string, string> = {
      'cache-control': cacheControl,
      etag,
      'last-modified': lastModified.toUTCString(),
      'cache-tags': cacheTagsOf(products),
    };
    // RFC 9110 15.4.5: a 304 repeats the validators and caching headers of the 200 it stands for, without a body.
    if (isNotModified({ ifNoneMatch: req.header('if-none-match'), ifModifiedSince: req.header('if-modified-since') }, { etag, lastModified })) {
      return { status: 304, headers, body: undefined };
    }
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      body: req.method === 'HEAD' ? undefined : body,
    };
  }

  async function one(req: RestRequest, id: string): Promise<RestResponse> {
    if (!isProductId(id)) return failure(400, ErrorCode.BAD_USER_INPUT, `product id must be a UUID, got ${JSON.stringify(id.slice(0, 80))}`);
    const [product] = await findProducts(deps, [id]);
    if (!product) return failure(404, ErrorCode.NOT_FOUND, `no product with id ${JSON.stringify(id)}`);
    return cacheable(req, JSON.stringify(representProduct(product)), [product]);
  }

  async function many(req: RestRequest): Promise<RestResponse> {
    const raw = req.query.getAll('ids');
    if (raw.length === 0) return failure(400, ErrorCode.BAD_USER_INPUT, 'the ids query parameter is required, e.g. /products?ids=<id>,<id>');
    const ids = [...new Set(raw.flatMap((value) => value.split(',')).map((id) => id.trim()))];
    if (ids.length > MAX_IDS_PER_REQUEST) {
      return failure(400, ErrorCode.BAD_USER_INPUT, `at most ${MAX_IDS_PER_REQUEST} ids per request, got ${ids.length}`);
    }
    const malformed = ids.filter((id) => !isProductId(id));
    if (malformed.length > 0) {
      return failure(400, ErrorCode.BAD_USER_INPUT, `every id must be a UUID; not UUIDs: ${malformed.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 80))).join(', ')}`);
    }
    const found = await findProducts(deps, ids);
    const products = found.filter((p): p is Product => p !== null);
    if (products.length === 0) return failure(404, ErrorCode.NOT_FOUND, `none of the ${ids.length} ids names a product`);
    const notFound = ids.filter((_, index) => found[index] === null);
    return cacheable(req, JSON.stringify({ products: products.map(representProduct), notFound }), products);
  }

  async function route(req: RestRequest): Promise<RestResponse> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return { ...failure(405, ErrorCode.BAD_USER_INPUT, `method ${req.method} is not allowed here; this API is read-only`), headers: { ...JSON_ERROR_HEADERS, allow: 'GET, HEAD' } };
    }
    if (req.path === '/products' || req.path === '/products/') return many(req);
    const match = /^\/products\/([^/]+)\/?$/.exec(req.path);
    if (match?.[1]) return one(req, decodeSafely(match[1]));
    return failure(404, ErrorCode.NOT_FOUND, `no route for ${req.path.slice(0, 100)}`);
  }

  return async function handle(req: RestRequest): Promise<RestResponse> {
    try {
      return await route(req);
    } catch (error) {
      // DynamoDB not answering (lib/dynamodb/deadline.ts): 503, which readers retry or answer from a stale copy
      // (RFC 5861 stale-if-error), never a 500 that reads as a bug. Anything else is one, for the adapter to log.
      if (error instanceof ServiceUnavailableError) return failure(httpStatusOf[error.code], error.code, error.message);
      throw error;
    }
  };
}

export type ProductsRestApi = ReturnType<typeof createProductsRestApi>;

const JSON_ERROR_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function failure(status: number, code: ErrorCode, message: string): RestResponse {
  return { status, headers: { ...JSON_ERROR_HEADERS }, body: JSON.stringify({ error: { code, message } }) };
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
