import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gatewayCachePrefix } from '../../gateway/cache/tagged-cache';
import { productTag } from '../../lib/events/product-changes';
import { createRedisClient } from '../../lib/redis';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { testRedisUrl } from '../support/services';
import { createProduct, placeOrder } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { TEST_SIGNING_SECRET, startTestSystem, tokenFor } from '../support/system';

/**
 * The gateway's response cache, entity cache and in-flight dedupe, with every lever on and the cache shared in
 * Redis: what may be cached is, a price change shows within a second, and one customer's data never reaches another.
 */

const PRODUCT = 'query CachedProduct($id: ID!) { product(id: $id) { id name price { amount currency } } }';
const ORDER = 'query CachedOrder($id: ID!) { order(id: $id) { id items { product { id price { amount } } } } }';
const ME = 'query MyOrders { me { id orders(first: 50) { edges { node { id items { quantity product { id name } } } } } } }';
const CHANGE_PRICE = 'mutation ($id: ID!, $price: MoneyInput!) { changeProductPrice(id: $id, price: $price) { price { amount } } }';

let system: RunningSystem;
let admin: string;

beforeAll(async () => {
  system = await startTestSystem('gw-cache', { env: { REDIS_URL: testRedisUrl() } });
  admin = await tokenFor('admin-cache', { admin: true });
});
afterAll(async () => {
  await system?.stop();
});

/** GraphQL requests Catalog has served: what a cached response saves. */
function catalogRequests(): Promise<number> {
  return metricValue(system.urls.catalog, 'http_request_duration_seconds_count', { route: '/graphql' });
}

describe('response and entity cache', () => {
  it('answers a repeated product query from the cache, marked public', async () => {
    const productId = await createProduct(system.urls.gateway, admin, { name: 'Cached Lamp', amount: 1_000 });
    const first = await graphql<{ product: { price: { amount: number } } }>(system.urls.gateway, PRODUCT, { id: productId });
    expect(first.data?.product.price.amount).toBe(1_000);
    // The product's creation event drops what was cached before it arrived (twice, 500 ms apart): wait until a
    // repeat is served without Catalog, then every further repeat must be too.
    await waitFor('a repeated query answered from the cache', async () => {
      if (system.gateway.levers.cache!.pendingInvalidations() > 0) return false;
      const count = await catalogRequests();
      await graphql(system.urls.gateway, PRODUCT, { id: productId });
      return (await catalogRequests()) === count;
    });
    const before = await catalogRequests();
    for (let n = 0; n < 5; n += 1) {
      const again = await graphql<{ product: { name: string; price: { amount: number } } }>(system.urls.gateway, PRODUCT, { id: productId });
      expect(again.data?.product).toEqual({ id: productId, name: 'Cached Lamp', price: { amount: 1_000, currency: 'USD' } });
      expect(again.headers.get('cache-control')).toMatch(/^max-age=([1-9]\d*), public$/);
    }
    expect(await catalogRequests()).toBe(before);
  });

  /** A price change made through the gateway, or at Catalog itself so only its event can tell the gateway. */
  async function changePrice(where: 'gateway' | 'catalog', productId: string, amount: number): Promise<void> {
    const variables = { id: productId, price: { amount, currency: 'USD' } };
    const changed =
      where === 'gateway'
        ? await graphql(system.urls.gateway, CHANGE_PRICE, variables, { token: admin })
        : await graphql(`${system.urls.catalog}/graphql`, CHANGE_PRICE, variables, { signedAs: { caller: { sub: 'admin-cache', roles: ['admin'] }, secret: TEST_SIGNING_SECRET } });
    expect(changed.errors).toBeUndefined();
  }

  it.each([
    ['through the gateway', 'gateway'],
    ['at Catalog directly, told by its event', 'catalog'],
  ] as const)('shows a price change made %s, in whole responses and in cached entities, once its invalidation arrives', async (_label, where) => {
    const customer = await tokenFor(`customer-cache-${where}`);
    const productId = await createProduct(system.urls.gateway, admin, { name: `Cached Kettle ${where}`, amount: 2_500 });
    const orderId = await placeOrder(system.urls.gateway, customer, [{ productId, quantity: 1 }]);
    const prices = async () => {
      const [product, order] = await Promise.all([
        graphql<{ product: { price: { amount: number } } }>(system.urls.gateway, PRODUCT, { id: productId }),
        graphql<{ order: { items: { product: { price: { amount: number } } }[] } }>(system.urls.gateway, ORDER, { id: orderId }, { token: customer }),
      ]);
      return [product.data?.product.price.amount, order.data?.order.items[0]?.product.price.amount];
    };
    // Both cached (the product query whole, the order's product as an entity) once the creation event is through.
    await waitFor('both prices answered from the cache', async () => {
      if (system.gateway.levers.cache!.pendingInvalidations() > 0) return false;
      const count = await catalogRequests();
      const seen = await prices();
      return seen[0] === 2_500 && seen[1] === 2_500 && (await catalogRequests()) === count;
    });

    await changePrice(where, productId, 2_999);
    // How fast is a figure for the benchmarks; here, that the event's invalidation arrives (well before the 60 s TTL).
    await waitFor(
      'the new price through the gateway',
      async () => {
        const [product, entity] = await prices();
        return product === 2_999 && entity === 2_999;
      },
      10_000,
    );
    // And it stays changed: nothing stale was stored behind the invalidation.
    await waitFor('the repeat invalidation', () => system.gateway.levers.cache!.pendingInvalidations() === 0);
    expect(await prices()).toEqual([2_999, 2_999]);
  });
});

describe('cache keys from client input', () => {
  it('tag only product ids that are well formed, and bound keys: an unknown id or an operation name of any length leaves no long key or tag in Redis', async () => {
    const redis = createRedisClient(testRedisUrl());
    try {
      const prefix = gatewayCachePrefix(system.config);
      const hostile = ['z'.repeat(5_000), 'not-a-uuid', 'product:*', '../../products'];
      for (const id of hostile) {
        const response = await graphql(system.urls.gateway, PRODUCT, { id });
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual({ product: null });
      }
      // An operation name is the client's choice too (up to the document's length).
      const longName = `Q${'q'.repeat(5_000)}`;
      const named = await fetch(system.urls.gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: PRODUCT.replace('CachedProduct', longName), operationName: longName, variables: { id: randomUUID() } }),
      });
      expect(await named.json()).toEqual({ data: { product: null } });
      // A well-formed id Catalog does not know is still tagged (and its null cached): the store answered these requests.
      const unknown = randomUUID();
      expect((await graphql(system.urls.gateway, PRODUCT, { id: unknown })).data).toEqual({ product: null });
      // Shared entries and tag indexes live under the cache's generation (tagged-cache.ts).
      const tagPrefix = `${prefix}${Number(await redis.get(`${prefix}generation`))}:t:`;
      expect(await redis.exists(`${tagPrefix}${productTag(unknown)}`)).toBe(1);
      const keys = await redis.keys(`${prefix}*`);
      // Whole-response keys hash variables beyond 256 characters; tags are `product:<uuid>` or `products`.
      expect(keys.filter((key) => key.length - prefix.length > 400)).toEqual([]);
      const tags = keys.filter((key) => key.startsWith(tagPrefix)).map((key) => key.slice(tagPrefix.length));
      expect(tags).toContain(productTag(unknown));
      expect(tags.filter((tag) => !/^(products|product:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(tag))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('private data', () => {
  it("keys a PRIVATE entry by the caller's roles too: an admin demoted to customer no longer reads admin-only fields", async () => {
    const productId = await createProduct(system.urls.gateway, admin, { name: 'Held Lamp', amount: 900, stockQuantity: 10 });
    await placeOrder(system.urls.gateway, await tokenFor('customer-cache-hold'), [{ productId, quantity: 3 }]);
    const RESERVED = 'query Reserved($id: ID!) { product(id: $id) { id reservedQuantity } }';
    const asAdmin = await graphql<{ product: { reservedQuantity: number | null } }>(system.urls.gateway, RESERVED, { id: productId }, { token: admin });
    expect(asAdmin.data?.product.reservedQuantity).toBe(3);
    // Stored for the admin (PRIVATE: reservedQuantity is admin-only), as a repeat served without Catalog shows.
    await waitFor('the admin\'s answer cached', async () => {
      const count = await catalogRequests();
      await graphql(system.urls.gateway, RESERVED, { id: productId }, { token: admin });
      return (await catalogRequests()) === count;
    });
    // The same sub without the admin role (a demoted admin, or a token minted before the change) reads no held units.
    const demoted = await tokenFor('admin-cache');
    const asCustomer = await graphql<{ product: { reservedQuantity: number | null } }>(system.urls.gateway, RESERVED, { id: productId }, { token: demoted });
    expect(asCustomer.errors).toBeUndefined();
    expect(asCustomer.data?.product).toEqual({ id: productId, reservedQuantity: null });
  });

  it("never gives one customer's orders to another, with both asking the same query at once", async () => {
    const customers = ['customer-cache-a', 'customer-cache-b'];
    const tokens = await Promise.all(customers.map((sub) => tokenFor(sub)));
    const productId = await createProduct(system.urls.gateway, admin, { name: 'Shared Mug', amount: 700 });
    const own: string[][] = [[], []];
    for (const [index, token] of tokens.entries()) {
      for (let n = 0; n <= index; n += 1) own[index]!.push(await placeOrder(system.urls.gateway, token, [{ productId, quantity: 1 + index }]));
    }
    type Me = { me: { id: string; orders: { edges: { node: { id: string; items: { quantity: number; product: { id: string; name: string } }[] } }[] } } };
    // 60 identical queries in flight together, alternating callers: dedupe and caches get every chance to mix them up.
    const responses = await Promise.all(Array.from({ length: 60 }, (_, n) => graphql<Me>(system.urls.gateway, ME, {}, { token: tokens[n % 2] })));
    responses.forEach((response, n) => {
      const index = n % 2;
      expect(response.errors).toBeUndefined();
      expect(response.data?.me.id).toBe(customers[index]);
      expect(response.data?.me.orders.edges.map((edge) => edge.node.id).sort()).toEqual([...own[index]!].sort());
      for (const edge of response.data!.me.orders.edges) {
        expect(edge.node.items).toEqual([{ quantity: 1 + index, product: { id: productId, name: 'Shared Mug' } }]);
      }
    });
    // Not cached: a new order shows at once to its customer and only to them.
    const another = await placeOrder(system.urls.gateway, tokens[0]!, [{ productId, quantity: 1 }]);
    const [mine, theirs] = await Promise.all(tokens.map((token) => graphql<Me>(system.urls.gateway, ME, {}, { token })));
    expect(mine!.data?.me.orders.edges.map((edge) => edge.node.id)).toContain(another);
    expect(theirs!.data?.me.orders.edges.map((edge) => edge.node.id).sort()).toEqual([...own[1]!].sort());
  });
});
