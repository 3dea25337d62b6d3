import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor, waitForValue } from '../../../../lib/events/testing/wait-for';
import { freePort } from '../../../../lib/process';
import { createRedisClient, startRedisServer, type LocalRedis } from '../../../../lib/redis';
import { testRedisUrl, uniquePrefix } from '../../../../test/support/services';
import { AclPool, productInfoOf } from './test-support/acl-harness';
import { describeCatalogAclContract } from './test-support/catalog-acl-contract';
import { startCatalogOrigin, type CatalogOrigin } from './test-support/catalog-origin';

// First in the file: closing a store whose Redis refused every connection leaves iovalkey's 2 s stream-destroy
// timer (AbstractConnector.disconnect) pending; it runs out while the other tests run.
describe('Catalog ACL when Redis is unreachable', () => {
  let origin: CatalogOrigin;
  const acls = new AclPool();
  beforeAll(async () => {
    origin = await startCatalogOrigin('acl-redis-down');
  });
  afterEach(() => acls.closeAll());
  afterAll(() => origin?.stop());

  it('falls back to Catalog when Redis cannot be reached', async () => {
    const [product] = await origin.createProducts(1);
    const { acl, metric } = acls.open(origin.baseUrl, { redisUrl: `redis://127.0.0.1:${await freePort()}`, keyPrefix: uniquePrefix('acl-down'), cacheCommandTimeoutMs: 500 });

    const started = performance.now();
    expect(await acl.getProducts([product!.id])).toEqual([productInfoOf(product!)]);
    expect(await acl.getProducts([product!.id])).toEqual([productInfoOf(product!)]);

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await metric('http_client_cache_lookups_total', { result: 'miss' })).toBe(2);
    await expect(acl.invalidateProducts([product!.id])).rejects.toThrow(/Redis cache store failed/);
  });
});

describeCatalogAclContract({ name: 'Redis (client-side tracking on)', aclStore: () => ({ redisUrl: testRedisUrl(), keyPrefix: uniquePrefix('acl') }) });
describeCatalogAclContract({ name: 'Redis (tracking off)', aclStore: () => ({ redisUrl: testRedisUrl(), keyPrefix: uniquePrefix('acl'), tracking: false }) });

describe('Catalog ACL instances sharing one Redis', () => {
  let origin: CatalogOrigin;
  const acls = new AclPool();
  beforeAll(async () => {
    origin = await startCatalogOrigin('acl-shared');
  });
  afterEach(() => acls.closeAll());
  afterAll(() => origin?.stop());

  const pair = (tracking: boolean) => {
    const shared = { redisUrl: testRedisUrl(), keyPrefix: uniquePrefix('acl-shared'), tracking };
    return [acls.open(origin.baseUrl, shared), acls.open(origin.baseUrl, shared)] as const;
  };

  it.each([true, false])('call the origin once for a product both look up (tracking %s)', async (tracking) => {
    const [product] = await origin.createProducts(1);
    const [first, second] = pair(tracking);

    expect(await first.acl.getProducts([product!.id])).toEqual([productInfoOf(product!)]);
    await first.storedEntries(1);
    expect(await second.acl.getProducts([product!.id])).toEqual([productInfoOf(product!)]);
    expect(await second.acl.getProducts([product!.id])).toEqual([productInfoOf(product!)]);

    expect(origin.proxy.productRequests(product!.id)).toHaveLength(1);
    expect(await second.metric('http_client_cache_lookups_total', { result: 'hit' })).toBe(2);
    expect(await second.metric('http_client_cache_lookups_total', { result: 'miss' })).toBe(0);
  });

  it("see an invalidation made through the other instance, whose tracking cache Redis notifies", async () => {
    const [product] = await origin.createProducts(1);
    const [first, second] = pair(true);
    await first.acl.getProducts([product!.id]);
    await first.storedEntries(1);
    // The second instance now holds the entry in its tracking cache (process memory).
    await second.acl.getProducts([product!.id]);
    await second.acl.getProducts([product!.id]);

    await origin.changePrice(product!.id, 777);
    await first.acl.invalidateProducts([product!.id]);

    const price = await waitForValue("the second instance's view of the new price", async () => {
      const [info] = await second.acl.getProducts([product!.id]);
      return info?.unitPrice.amount === 777 ? info.unitPrice : undefined;
    });
    expect(price).toEqual({ amount: 777, currency: 'USD' });
    expect(origin.proxy.productRequests(product!.id).length).toBeGreaterThanOrEqual(2);
  });
});

describe('Catalog ACL instances across a Redis restart', () => {
  let origin: CatalogOrigin;
  let dataDir: string;
  let redis: LocalRedis;
  const acls = new AclPool();
  beforeAll(async () => {
    origin = await startCatalogOrigin('acl-restart');
    dataDir = mkdtempSync(join(tmpdir(), 'acl-restart-'));
    // With its append-only file: what the cache held comes back with Redis, as from a persistent or replicated one.
    redis = await startRedisServer({ dataDir });
  });
  afterEach(() => acls.closeAll());
  afterAll(async () => {
    await origin?.stop();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serve nothing cached before the outage once Redis is back, though the invalidation was lost meanwhile', async () => {
    const [product] = await origin.createProducts(1);
    const shared = { redisUrl: redis.url, keyPrefix: uniquePrefix('acl-restart'), cacheCommandTimeoutMs: 500 };
    const [first, second] = [acls.open(origin.baseUrl, shared), acls.open(origin.baseUrl, shared)];
    const price = async (acl: typeof first) => (await acl.acl.getProducts([product!.id]))[0]?.unitPrice.amount;
    expect(await price(first)).toBe(product!.price.amount);
    await first.storedEntries(1);
    expect(await price(second)).toBe(product!.price.amount);
    expect(origin.proxy.productRequests(product!.id)).toHaveLength(1);

    await redis.stop();
    // The price changes while Redis is down, and the invalidation that should follow cannot be made.
    await origin.changePrice(product!.id, 777);
    await expect(first.acl.invalidateProducts([product!.id])).rejects.toThrow(/Redis cache store failed/);
    redis = await startRedisServer({ dataDir, port: redis.port });
    const admin = createRedisClient(redis.url);
    try {
      await waitFor('the admin connection to Redis', () => admin.status === 'ready', 10_000);
      // Redis restored the entry with the old price.
      expect((await admin.keys(`${shared.keyPrefix}*`)).length).toBeGreaterThan(0);
      // From Redis's return on, every lookup on either instance says 777, and in time from the cache again.
      const seen: (number | undefined)[] = [];
      await waitFor(
        () => `both instances caching the new price (saw ${JSON.stringify(seen)})`,
        async () => {
          const requests = origin.proxy.productRequests(product!.id).length;
          seen.push(await price(first), await price(second));
          return origin.proxy.productRequests(product!.id).length === requests;
        },
        30_000,
        100,
      );
      expect(new Set(seen)).toEqual(new Set([777]));
    } finally {
      admin.disconnect();
    }
  }, 60_000);
});
