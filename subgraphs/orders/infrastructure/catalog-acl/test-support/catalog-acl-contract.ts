import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '../../../../../lib/ddd';
import { waitFor, waitForValue } from '../../../../../lib/events/testing/wait-for';
import { AclPool, productInfoOf, rejectionOf, type AclOverrides } from './acl-harness';
import { startCatalogOrigin, type CatalogOrigin } from './catalog-origin';

export interface StoreUnderTest {
  readonly name: string;
  /** ACL options selecting the store, with a key space of its own on every call. */
  aclStore(): AclOverrides;
}

/**
 * One contract for the Catalog ACL, run against every cache store (docs/architecture.md §7: "one contract test suite per
 * port, run against every adapter"). Real parts throughout: Catalog on port 0 with DynamoDB Local, the store
 * (memory, or the run's redis-server), and a counting proxy that sees every request reaching the origin.
 */
export function describeCatalogAclContract(store: StoreUnderTest): void {
  describe(`Catalog ACL over HTTP with the ${store.name} cache store`, () => {
    /** Catalog with its production freshness: Cache-Control: public, max-age=300, stale-while-revalidate=60. */
    let steady: CatalogOrigin;
    /** Catalog with max-age=2, stale-while-revalidate=1, to watch entries go stale. */
    let brief: CatalogOrigin;
    const acls = new AclPool();
    const open = (origin: CatalogOrigin, overrides: AclOverrides = {}) => acls.open(origin.baseUrl, { ...store.aclStore(), ...overrides });

    beforeAll(async () => {
      [steady, brief] = await Promise.all([
        startCatalogOrigin(`acl-steady`),
        startCatalogOrigin(`acl-brief`, { restCache: { maxAgeSeconds: 2, staleWhileRevalidateSeconds: 1 } }),
      ]);
    });
    afterEach(async () => {
      await acls.closeAll();
      for (const origin of [steady, brief]) {
        origin.proxy.behave({ kind: 'forward' });
        await origin.proxy.up();
      }
    });
    afterAll(async () => {
      await Promise.all([steady?.stop(), brief?.stop()]);
    });

    it("translates Catalog's products into Orders' ProductInfo, in the order asked, with null for unknown ids", async () => {
      const [a, b] = await steady.createProducts(2);
      const { acl } = open(steady);

      const found = await acl.getProducts([b!.id, randomUUID(), a!.id, 'not-a-product-id', b!.id]);

      expect(found).toEqual([productInfoOf(b!), null, productInfoOf(a!), null, productInfoOf(b!)]);
      expect(Object.keys(found[0]!).sort()).toEqual(['availableQuantity', 'id', 'name', 'unitPrice']);
    });

    it('never looks up or caches an id that cannot name a product (its length and bytes are the client’s choice)', async () => {
      const { acl, metric } = open(steady);
      const hostile = ['z'.repeat(5_000), 'not-a-product-id', '../admin', 'a%2Fb', 'product:*'];
      const readsBefore = await catalogRestReads(steady);
      expect(await acl.getProducts(hostile)).toEqual(hostile.map(() => null));
      await acl.invalidateProducts(hostile);
      expect(await catalogRestReads(steady)).toBe(readsBefore);
      expect(hostile.flatMap((id) => steady.proxy.productRequests(id))).toEqual([]);
      expect(await metric('http_client_cache_lookups_total')).toBe(0);
      expect(await metric('http_client_cache_writes_total')).toBe(0);
    });

    it('calls the origin once for repeated lookups, within one request and across requests', async () => {
      const [product] = await steady.createProducts(1);
      const { acl, metric, storedEntries } = open(steady);
      const catalogReadsBefore = await catalogRestReads(steady);

      await acl.getProducts([product!.id, product!.id, product!.id]);
      await storedEntries(1);
      for (let request = 0; request < 3; request += 1) {
        expect(await acl.getProducts([product!.id])).toEqual([productInfoOf(product!)]);
      }

      expect(steady.proxy.productRequests(product!.id)).toHaveLength(1);
      expect(await catalogRestReads(steady)).toBe(catalogReadsBefore + 1);
      expect(await metric('http_client_cache_lookups_total', { result: 'miss' })).toBe(1);
      expect(await metric('http_client_cache_lookups_total', { result: 'hit' })).toBe(3);
      expect(await metric('http_client_origin_request_duration_seconds_count', { status: '200' })).toBe(1);
    });

    it('revalidates with a conditional request once max-age has passed, and keeps the entry on 304', async () => {
      const [product] = await brief.createProducts(1);
      const { acl, metric, storedEntries } = open(brief);
      await acl.getProducts([product!.id]);
      // The entry is written after the answer: a lookup before the write completes is a second miss.
      await storedEntries(1);

      // Each lookup is served from the store; once the entry is stale, one of them triggers the revalidation.
      await waitFor(
        'a 304 revalidation',
        async () => {
          expect(await acl.getProducts([product!.id])).toEqual([productInfoOf(product!)]);
          return (await metric('http_client_cache_revalidations_total', { outcome: 'not_modified' })) >= 1;
        },
        undefined,
        50,
      );

      const requests = brief.proxy.productRequests(product!.id);
      expect(requests.filter((request) => !request.conditional)).toHaveLength(1);
      expect(requests.filter((request) => request.conditional).length).toBeGreaterThanOrEqual(1);
      expect(await metric('http_client_origin_request_duration_seconds_count', { status: '304' })).toBeGreaterThanOrEqual(1);
    });

    it('sends the next lookup of an invalidated product to the origin, and only that product', async () => {
      const [changed, untouched] = await steady.createProducts(2);
      const { acl, storedEntries } = open(steady);
      await acl.getProducts([changed!.id, untouched!.id]);
      await storedEntries(2);

      await steady.changePrice(changed!.id, 4_321);
      expect((await acl.getProducts([changed!.id]))[0]?.unitPrice.amount).toBe(changed!.price.amount);

      await acl.invalidateProducts([changed!.id]);

      expect((await acl.getProducts([changed!.id]))[0]?.unitPrice).toEqual({ amount: 4_321, currency: 'USD' });
      expect(await acl.getProducts([untouched!.id])).toEqual([productInfoOf(untouched!)]);
      expect(steady.proxy.productRequests(changed!.id)).toHaveLength(2);
      expect(steady.proxy.productRequests(untouched!.id)).toHaveLength(1);
    });

    it('opens the circuit after 5 failed lookups, fails fast, serves cached products, and closes after recovery', async () => {
      const [cached, ...others] = await steady.createProducts(7);
      // Long enough that the circuit cannot go half-open while a loaded machine runs the checks below.
      const { acl, metric, storedEntries } = open(steady, { breakerHalfOpenAfterMs: 2_000 });
      await acl.getProducts([cached!.id]);
      await storedEntries(1);

      steady.proxy.behave({ kind: 'fail', status: 503 });
      for (const product of others.slice(0, 5)) {
        expect((await rejectionOf(acl.getProducts([product.id]))).code).toBe(ErrorCode.CATALOG_UNAVAILABLE);
      }
      // Three attempts per lookup (GET retries), then the breaker counts one failure.
      const requestsFor = (products: readonly { id: string }[]) => products.reduce((sum, product) => sum + steady.proxy.productRequests(product.id).length, 0);
      expect(requestsFor([cached!, ...others])).toBe(1 + 5 * 3);
      expect(await metric('http_client_circuit_state', { state: 'open' })).toBe(1);
      expect(await metric('http_client_circuit_transitions_total', { to: 'open' })).toBe(1);

      // Failing fast is not going on the wire: no request reaches the proxy, so nothing waits on Catalog.
      const sent = steady.proxy.requests.length;
      const started = performance.now();
      const refused = await rejectionOf(acl.getProducts([others[5]!.id]));
      expect(refused.code).toBe(ErrorCode.CATALOG_UNAVAILABLE);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(await acl.getProducts([cached!.id])).toEqual([productInfoOf(cached!)]);
      expect(steady.proxy.requests.length).toBe(sent);

      steady.proxy.behave({ kind: 'forward' });
      const recovered = await waitForValue('recovery', async () => (await acl.getProducts([others[5]!.id]))[0], { everyMs: 50 });
      expect(recovered).toEqual(productInfoOf(others[5]!));
      expect(await metric('http_client_circuit_state', { state: 'closed' })).toBe(1);
      expect(await metric('http_client_circuit_transitions_total', { to: 'half-open' })).toBeGreaterThanOrEqual(1);
      expect(await metric('http_client_circuit_transitions_total', { to: 'closed' })).toBe(1);
    });

    it('gives up on a slow origin at the timeout with CATALOG_UNAVAILABLE', async () => {
      const [product] = await steady.createProducts(1);
      const { acl, metric } = open(steady, { timeoutMs: 300 });
      steady.proxy.behave({ kind: 'delay', ms: 5_000 });

      const started = performance.now();
      const error = await rejectionOf(acl.getProducts([product!.id]));
      const elapsed = performance.now() - started;

      expect(error.code).toBe(ErrorCode.CATALOG_UNAVAILABLE);
      // At the 300 ms budget, not at the origin's 5 s: the upper bound leaves a loaded machine room to be late.
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(2_500);
      // The deadline covers the retries: the attempt in flight is aborted and no other starts.
      expect(steady.proxy.productRequests(product!.id)).toHaveLength(1);
      expect(await metric('http_client_origin_request_duration_seconds_count', { status: 'error' })).toBe(1);
    });

    it('fails within the timeout when Catalog refuses connections and the product is not cached', async () => {
      const [product] = await steady.createProducts(1);
      const { acl } = open(steady, { timeoutMs: 10_000 });
      await steady.proxy.down();

      const started = performance.now();
      const error = await rejectionOf(acl.getProducts([product!.id]));

      // A refused connection ends the lookup (retries included) long before its budget runs out.
      expect(error.code).toBe(ErrorCode.CATALOG_UNAVAILABLE);
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('serves a cached product past stale-while-revalidate while Catalog is down (stale-if-error)', async () => {
      const [cached, uncached] = await brief.createProducts(2);
      const { acl, metric, storedEntries } = open(brief, { staleIfErrorSeconds: 60 });
      await acl.getProducts([cached!.id]);
      await storedEntries(1);
      await brief.proxy.down();

      // Every lookup succeeds: fresh, then stale-while-revalidate, then stale-if-error once the window has passed.
      await waitFor(
        'a stale-if-error answer',
        async () => {
          expect(await acl.getProducts([cached!.id])).toEqual([productInfoOf(cached!)]);
          return (await metric('http_client_cache_lookups_total', { result: 'stale_if_error' })) >= 1;
        },
        undefined,
        100,
      );
      expect((await rejectionOf(acl.getProducts([uncached!.id]))).code).toBe(ErrorCode.CATALOG_UNAVAILABLE);
      expect(brief.proxy.productRequests(cached!.id).filter((request) => !request.conditional)).toHaveLength(1);
    });

    it('treats a response outside Catalog’s contract as CATALOG_UNAVAILABLE and does not keep it', async () => {
      const [product] = await steady.createProducts(1);
      const { acl, metric, storedEntries } = open(steady);

      steady.proxy.behave({
        kind: 'answer',
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
        body: JSON.stringify({ id: product!.id, name: product!.name, price: { amount: '12.50', currency: 'usd' } }),
      });
      expect((await rejectionOf(acl.getProducts([product!.id]))).code).toBe(ErrorCode.CATALOG_UNAVAILABLE);
      steady.proxy.behave({ kind: 'answer', status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' });
      expect((await rejectionOf(acl.getProducts([product!.id]))).code).toBe(ErrorCode.CATALOG_UNAVAILABLE);
      steady.proxy.behave({ kind: 'forward' });

      // The malformed 200 was cacheable (max-age=300), yet the next lookup reaches Catalog and gets the product.
      await storedEntries(1);
      expect(await acl.getProducts([product!.id])).toEqual([productInfoOf(product!)]);
      expect(steady.proxy.productRequests(product!.id)).toHaveLength(3);
      expect(await metric('http_client_cache_lookups_total', { result: 'hit' })).toBe(0);
    });

    it("publishes its metrics on the registry it is given (Orders' /metrics)", async () => {
      const [product] = await steady.createProducts(1);
      const { acl, registry } = open(steady);
      await acl.getProducts([product!.id]);

      const exposition = await registry.metrics();
      for (const name of [
        'http_client_cache_lookups_total',
        'http_client_cache_revalidations_total',
        'http_client_cache_writes_total',
        'http_client_origin_request_duration_seconds_bucket',
        'http_client_circuit_state',
        'http_client_circuit_transitions_total',
      ]) {
        expect(exposition).toContain(`# TYPE ${name.replace(/_bucket$/, '')} `);
      }
      expect(exposition).toContain('http_client_circuit_state{client="catalog",state="closed"} 1');
    });
  });
}

/**
 * GET requests Catalog itself served on its REST routes (label route="/products..."), from its own /metrics: a
 * second count, taken at the origin, to check the proxy's.
 */
async function catalogRestReads(origin: CatalogOrigin): Promise<number> {
  const exposition = await (await fetch(`${origin.catalog.url}/metrics`)).text();
  let total = 0;
  for (const line of exposition.split('\n')) {
    const match = /^http_request_duration_seconds_count\{([^}]*)\}\s+(\S+)/.exec(line);
    if (match && /method="GET"/.test(match[1]!) && /route="\/products[^"]*"/.test(match[1]!)) total += Number(match[2]);
  }
  return total;
}
