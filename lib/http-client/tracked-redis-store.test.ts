import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import type CacheInterceptor from 'undici/types/cache-interceptor';
import { testRedisUrl } from '../../test/support/services';
import { waitFor } from '../events/testing/wait-for';
import { createRedisClient } from '../redis';
import { createCacheStore, type HttpCacheStore } from './cache-store';
import type { TrackedRedisCacheStore } from './tracked-redis-store';

async function put(store: CacheInterceptor.CacheStore, key: CacheInterceptor.CacheKey, body: string): Promise<void> {
  const now = Date.now();
  const stream = store.createWriteStream(key, {
    statusCode: 200,
    statusMessage: 'OK',
    headers: { 'content-type': 'text/plain' },
    cacheControlDirectives: { 'max-age': 300 },
    cachedAt: now,
    staleAt: now + 300_000,
    deleteAt: now + 360_000,
  });
  if (!stream) throw new Error('the store refused the entry');
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.end(Buffer.from(body), () => resolve());
  });
}

async function bodyOf(store: CacheInterceptor.CacheStore, key: CacheInterceptor.CacheKey): Promise<string | undefined> {
  const result = await store.get(key);
  if (!result) return undefined;
  const body = result.body;
  if (body === undefined || body === null) return '';
  if (Array.isArray(body)) return Buffer.concat(body as Buffer[]).toString();
  let text = '';
  for await (const chunk of body as AsyncIterable<Buffer>) text += chunk.toString();
  return text;
}

describe('Redis cache store with client-side caching', () => {
  const keyPrefix = `t-tracking-${randomUUID().slice(0, 8)}:`;
  let a: HttpCacheStore;
  let b: HttpCacheStore;
  let admin: Redis;

  beforeAll(() => {
    a = createCacheStore({ redisUrl: testRedisUrl(), keyPrefix, trackingCheckIntervalMs: 100 });
    b = createCacheStore({ redisUrl: testRedisUrl(), keyPrefix, trackingCheckIntervalMs: 100 });
    admin = createRedisClient(testRedisUrl());
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    admin.disconnect();
  });

  it('keeps receiving invalidations after its invalidation connection is lost: the store is replaced', async () => {
    const key = { origin: 'http://catalog.test', method: 'GET', path: `/products/${randomUUID()}`, headers: {} };
    const tracked = a.store as TrackedRedisCacheStore;
    await (b.store as TrackedRedisCacheStore).ready();
    await waitFor("A's invalidation subscriber to be healthy", () => tracked.check());
    await put(b.store, key, 'v1');
    // A reads it once: from now on A answers from process memory, trusting Redis to tell it of changes.
    expect(await bodyOf(a.store, key)).toBe('v1');

    // The invalidation subscriber of A's store goes away (a network blip, a CLIENT KILL by an operator...).
    const clients = String(await admin.call('CLIENT', 'LIST'));
    const subscriber = clients.split('\n').find((line) => line.includes(`name=${tracked.connectionName} `) && /flags=\S*P/.test(line));
    const id = /(?:^|\s)id=(\d+)/.exec(subscriber ?? '')?.[1];
    expect(id).toBeDefined();
    const rebuildsBefore = tracked.rebuilds;
    await admin.call('CLIENT', 'KILL', 'ID', id as string);

    // B deletes the entry: Redis would tell A's dead subscriber, so without the watchdog A would serve 'v1'.
    await b.deleteKeys([key]);
    await waitFor('A to stop serving the deleted entry', async () => (await bodyOf(a.store, key)) === undefined);
    expect(await bodyOf(a.store, key)).toBeUndefined();
    expect(tracked.rebuilds).toBeGreaterThan(rebuildsBefore);
    await waitFor("A's replaced invalidation subscriber to be healthy", () => tracked.check());
    expect(await tracked.check()).toBe(true);
  });
});
