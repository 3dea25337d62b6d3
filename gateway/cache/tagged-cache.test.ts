import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { createLogger } from '../../lib/logging';
import { createRedisClient } from '../../lib/redis';
import { testRedisUrl } from '../../test/support/services';
import { waitFor } from '../../lib/events/testing/wait-for';
import { TaggedCache } from './tagged-cache';

const logger = createLogger({ service: 'test', level: 'silent' });
const connections: Redis[] = [];
const caches: TaggedCache[] = [];

afterAll(async () => {
  for (const cache of caches) cache.close();
  await Promise.all(connections.map((connection) => connection.quit()));
});

/** A cache on the run's Redis, once it is in use (connected, subscribed, its generation known). */
async function redisCache(prefix: string, options: { maxEntries?: number; repeatInvalidationMs?: number } = {}): Promise<TaggedCache> {
  return (await redisCacheWithConnections(prefix, options)).cache;
}

async function redisCacheWithConnections(prefix: string, options: { maxEntries?: number; repeatInvalidationMs?: number } = {}) {
  const client = createRedisClient(testRedisUrl());
  const subscriber = createRedisClient(testRedisUrl(), { enableAutoPipelining: false });
  connections.push(client, subscriber);
  const cache = new TaggedCache({ maxEntries: options.maxEntries ?? 100, logger, redis: { client, subscriber, prefix }, repeatInvalidationMs: options.repeatInvalidationMs ?? 0 });
  caches.push(cache);
  await waitFor('the cache to be in use', () => cache.available, 5_000);
  return { cache, client, subscriber };
}

/** Where the shared layer keeps an entry or a tag index now (its generation is part of the key). */
const generationOf = async (prefix: string) => Number(await connections[0]!.get(`${prefix}generation`));
const entryKey = async (prefix: string, key: string) => `${prefix}${await generationOf(prefix)}:e:${key}`;
const tagKey = async (prefix: string, tag: string) => `${prefix}${await generationOf(prefix)}:t:${tag}`;

const entry = (value: string, tags: string[], ttlSeconds = 60) => ({ value, scope: 'PUBLIC' as const, ttlSeconds, tags });

describe('tagged cache', () => {
  it('keeps entries locally, bounded, and expires them by their max-age', async () => {
    let now = 1_000_000;
    const cache = new TaggedCache({ maxEntries: 2, logger, now: () => now });
    await cache.set('a', entry('"A"', ['product:1'], 10));
    await cache.set('b', entry('"B"', ['product:2']));
    await cache.set('c', entry('"C"', ['product:3']));
    expect(cache.size()).toBe(2);
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')?.value).toBe('"B"');
    await cache.set('d', entry('"D"', ['product:4'], 10));
    now += 10_001;
    expect(await cache.get('d')).toBeUndefined();
  });

  it('drops entries by tag and changes its epoch', async () => {
    const cache = new TaggedCache({ maxEntries: 10, logger, repeatInvalidationMs: 0 });
    await cache.set('one', entry('1', ['product:1', 'products']));
    await cache.set('two', entry('2', ['product:2', 'products']));
    const epoch = cache.epoch;
    await cache.invalidate(['product:1']);
    expect(cache.epoch).not.toBe(epoch);
    expect(cache.peek('one')).toBeUndefined();
    expect(cache.peek('two')?.value).toBe('2');
    await cache.invalidate(['products']);
    expect(cache.size()).toBe(0);
  });

  it.each([
    ['a tag of 5,000 characters', [`product:${'z'.repeat(4_992)}`]],
    ['a tag with a space', ['product:a b']],
    ['a tag with a line feed', ['product:a\nb']],
    ['an empty tag', ['']],
    ['1,001 tags', Array.from({ length: 1_001 }, (_, n) => `product:${n}`)],
  ])('stores no entry with %s, locally or in Redis', async (_what, tags) => {
    const prefix = `test-cache-${randomUUID().slice(0, 8)}:`;
    const cache = await redisCache(prefix);
    await cache.set('hostile', entry('null', tags));
    expect(cache.peek('hostile')).toBeUndefined();
    expect(await connections[0]!.keys(`${prefix}*`)).toEqual([`${prefix}generation`]);
    await cache.set('fine', entry('null', ['product:1', 'products']));
    expect((await connections[0]!.keys(`${prefix}*`)).sort()).toEqual(
      [`${prefix}generation`, await entryKey(prefix, 'fine'), await tagKey(prefix, 'product:1'), await tagKey(prefix, 'products')].sort(),
    );
  });

  it('shares entries through Redis and invalidates every instance', async () => {
    const prefix = `test-cache-${randomUUID().slice(0, 8)}:`;
    const first = await redisCache(prefix);
    const second = await redisCache(prefix);
    await first.set('shared', entry('{"price":1}', ['product:9']));
    expect((await second.get('shared'))?.value).toBe('{"price":1}');
    expect(second.peek('shared')?.value).toBe('{"price":1}');

    await first.invalidate(['product:9']);
    // The second instance hears it on the Redis channel and drops its local copy.
    await waitFor('the broadcast invalidation', () => second.peek('shared') === undefined, 5_000);
    expect(await second.get('shared')).toBeUndefined();
    expect(await connections[0]!.exists(await entryKey(prefix, 'shared'), await tagKey(prefix, 'product:9'))).toBe(0);
  });

  it("repeats an invalidation with Redis, once after a tag's last change, so what another instance stored late goes too", async () => {
    const prefix = `test-cache-${randomUUID().slice(0, 8)}:`;
    // Long enough that the late write below lands before the repeat even on a loaded machine (checked, not assumed).
    const cache = await redisCache(prefix, { repeatInvalidationMs: 1_500 });
    const other = await redisCache(prefix);
    await cache.invalidate(['product:7']);
    await cache.invalidate(['product:7', 'product:8']);
    expect(cache.pendingInvalidations()).toBe(2);
    // Another instance stores data read before the change after the broadcast passed it by: the repeat drops it.
    await other.set('late', entry('"stale"', ['product:7']));
    const late = await entryKey(prefix, 'late');
    expect([cache.pendingInvalidations(), await connections[0]!.exists(late)]).toEqual([2, 1]);
    await waitFor('the repeat invalidation', () => cache.pendingInvalidations() === 0, 5_000);
    expect(await connections[0]!.exists(late)).toBe(0);
    await waitFor('the broadcast of the repeat', () => other.peek('late') === undefined, 5_000);
  });

  it('does not repeat without Redis: the epoch keeps fetches begun before a change from storing', async () => {
    const cache = new TaggedCache({ maxEntries: 10, logger, repeatInvalidationMs: 100 });
    const epoch = cache.epoch;
    await cache.invalidate(['product:7']);
    expect(cache.pendingInvalidations()).toBe(0);
    expect(cache.epoch).not.toBe(epoch);
  });

  it('is off while Redis cannot be reached: every lookup a miss, nothing stored, never an error', async () => {
    const client = createRedisClient('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
    const subscriber = createRedisClient('redis://127.0.0.1:1', { retryStrategy: () => null, lazyConnect: true });
    client.on('error', () => undefined);
    subscriber.on('error', () => undefined);
    const cache = new TaggedCache({ maxEntries: 10, logger, redis: { client, subscriber, prefix: 'down:' }, repeatInvalidationMs: 0 });
    expect(cache.available).toBe(false);
    await cache.set('k', entry('"v"', ['product:1']));
    expect(cache.peek('k')).toBeUndefined();
    expect(await cache.get('k')).toBeUndefined();
    // Not everywhere: the caller that cannot count on coming back (the fan-out Lambda) retries.
    expect(await cache.invalidate(['product:1'])).toBe(false);
    cache.close();
    client.disconnect();
    subscriber.disconnect();
  });

  it('fences the shared layer when a connection comes back: nothing from before is read again, on any instance', async () => {
    const prefix = `test-cache-${randomUUID().slice(0, 8)}:`;
    const first = await redisCacheWithConnections(prefix);
    const second = await redisCache(prefix);
    await first.cache.set('stock', entry('{"available":10}', ['product:1']));
    expect((await second.get('stock'))?.value).toBe('{"available":10}');
    const before = await generationOf(prefix);
    const stale = await entryKey(prefix, 'stock');

    // The first instance loses its connection (what it missed meanwhile, Redis may still hold) and gets it back.
    first.client.disconnect(true);
    await waitFor('the first instance to go off', () => !first.cache.available, 5_000);
    expect(first.cache.peek('stock')).toBeUndefined();
    await waitFor('the first instance back under a new generation', () => first.cache.available, 5_000);

    expect(await generationOf(prefix)).toBe(before + 1);
    // The other instance heard the new generation and emptied its memory; the old entry is still in Redis, unread.
    await waitFor('the other instance to drop what it held', () => second.peek('stock') === undefined, 5_000);
    expect(await connections[0]!.exists(stale)).toBe(1);
    expect(await first.cache.get('stock')).toBeUndefined();
    expect(await second.get('stock')).toBeUndefined();
    // Both share the new generation.
    await first.cache.set('stock', entry('{"available":20}', ['product:1']));
    expect((await second.get('stock'))?.value).toBe('{"available":20}');
  });
});
