import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import type CacheInterceptor from 'undici/types/cache-interceptor';
import type { RedisCacheStore } from 'undici-cache-redis';
import { waitFor } from '../events/testing/wait-for';
import { createRedisClient, startRedisServer, type LocalRedis } from '../redis';
import { createCacheStore, type HttpCacheStore } from './cache-store';
import type { TrackedRedisCacheStore } from './tracked-redis-store';

/**
 * undici-cache-redis finds entries with SCAN MATCH over the whole keyspace, reading each page's matches as the scan
 * goes on. When the connection closes under a scan (the store closed or replaced, Redis gone), the scan fails and so
 * do the reads of its pages; the library awaited those reads only when the scan ended, so after a failed scan their
 * failures were unhandled rejections, which end a Node process (patches/undici-cache-redis+1.0.1.patch). Here the
 * keyspace is large enough that a scan takes hundreds of round trips, and every page holds entries to read, so the
 * connection closes while reads are in flight. A rejection left unhandled fails the test that is running.
 */

const ORIGIN = 'http://catalog.test';
let redis: LocalRedis | undefined;
let store: HttpCacheStore | undefined;

afterEach(async () => {
  await store?.close();
  await redis?.stop();
  store = undefined;
  redis = undefined;
});

/** 30,000 unrelated keys, and 3,000 entries stored for `path` under the store's first generation. */
async function crowdedRedis(keyPrefix: string, path: string): Promise<LocalRedis> {
  const server = await startRedisServer();
  const admin = createRedisClient(server.url);
  try {
    const pipeline = admin.pipeline();
    for (let i = 0; i < 30_000; i += 1) pipeline.set(`unrelated:${i}`, 'x');
    for (let i = 0; i < 3_000; i += 1) {
      pipeline.hset(`${keyPrefix}g0:metadata:${encodeURIComponent(ORIGIN)}:${encodeURIComponent(path)}:GET:entry-${i}`, { valueKey: `values:entry-${i}`, idKey: `ids:entry-${i}` });
    }
    await pipeline.exec();
  } finally {
    await admin.quit();
  }
  return server;
}

function openStore(url: string, keyPrefix: string, errors: Error[]): HttpCacheStore {
  return createCacheStore({ redisUrl: url, keyPrefix, tracking: false, commandTimeoutMs: 10_000, onError: (error) => errors.push(error) });
}

const CLOSED = /Connection is closed|max retries/;

describe('the Redis cache store when its connection closes during a scan', () => {
  it('is closed while the scan that follows a write runs, and nothing is left unhandled', async () => {
    const keyPrefix = `scans-${randomUUID().slice(0, 8)}:`;
    const path = `/products/${randomUUID()}`;
    redis = await crowdedRedis(keyPrefix, path);
    const errors: Error[] = [];
    store = openStore(redis.url, keyPrefix, errors);
    const tracked = store.store as TrackedRedisCacheStore;
    await tracked.ready();

    // Once a write is stored, the library scans for older entries of the same URL in the background: the store is
    // closed the moment the write is reported, so that scan runs into the closing connection.
    let closing: Promise<void> | undefined;
    (tracked.current as RedisCacheStore).once('write', () => (closing = store!.close()));
    const now = Date.now();
    const value: CacheInterceptor.CacheValue = {
      statusCode: 200,
      statusMessage: 'OK',
      headers: {},
      cacheControlDirectives: { 'max-age': 300 },
      cachedAt: now,
      staleAt: now + 300_000,
      deleteAt: now + 360_000,
    };
    tracked.createWriteStream({ origin: ORIGIN, method: 'GET', path, headers: {} }, value)!.end(Buffer.from('{}'));

    await waitFor('the write to be reported', () => closing !== undefined);
    await closing;
    await waitFor('the background scan to fail on the closed connection', () => errors.some((error) => CLOSED.test(error.message)));
  });

  it('loses Redis during a lookup: the lookup is a miss, and nothing is left unhandled', async () => {
    const keyPrefix = `scans-${randomUUID().slice(0, 8)}:`;
    const path = `/products/${randomUUID()}`;
    redis = await crowdedRedis(keyPrefix, path);
    const errors: Error[] = [];
    store = openStore(redis.url, keyPrefix, errors);
    await (store.store as TrackedRedisCacheStore).ready();

    const lookup = store.store.get({ origin: ORIGIN, method: 'GET', path, headers: {} });
    // Redis goes away once the scan has begun reading the entries of its pages.
    const admin = createRedisClient(redis.url);
    try {
      await waitFor('the lookup to read entries', async () => /cmdstat_hgetall:calls=[1-9]/.test(await admin.info('commandstats')), undefined, 1);
    } finally {
      admin.disconnect();
    }
    await redis.stop();
    expect(await lookup).toBeUndefined();
    expect(errors.map((error) => error.message)).toContainEqual(expect.stringMatching(CLOSED));
  });
});
