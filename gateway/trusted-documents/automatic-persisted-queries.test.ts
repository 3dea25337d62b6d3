import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { createLogger } from '../../lib/logging';
import { createRedisClient } from '../../lib/redis';
import { testRedisUrl } from '../../test/support/services';
import { automaticPersistedQueries } from './automatic-persisted-queries';
import { sha256Hex } from './persisted-documents';

const logger = createLogger({ service: 'test', level: 'silent' });
const connections: Redis[] = [];
afterAll(() => Promise.all(connections.map((connection) => connection.quit())));

/** Distinct documents of `size` characters. */
const documents = (count: number, size: number) =>
  Array.from({ length: count }, (_, n) => {
    const head = `query Q${n} { product(id: "`;
    const tail = '") { id } }';
    return `${head}${'x'.repeat(size - head.length - tail.length)}${tail}`;
  });

describe('automatic persisted queries', () => {
  it('keep at most maxBytes of documents in memory, forgetting the least recently used first', async () => {
    const store = automaticPersistedQueries({ logger, maxBytes: 10_000 });
    const texts = documents(10, 4_000);
    for (const text of texts) await store.register(sha256Hex(text), text);
    expect(await store.get(sha256Hex(texts[0]!))).toBeUndefined();
    expect(await store.get(sha256Hex(texts[9]!))).toBe(texts[9]);
    expect(await store.get(sha256Hex(texts[8]!))).toBe(texts[8]);
    expect(await store.get(sha256Hex(texts[7]!))).toBeUndefined();
  });

  it('keep at most maxBytes of documents in Redis, shared by every instance', async () => {
    const client = createRedisClient(testRedisUrl());
    connections.push(client);
    const prefix = `t-apq-${randomUUID().slice(0, 8)}-`;
    const writer = automaticPersistedQueries({ logger, maxBytes: 10_000, redis: { client, prefix } });
    const texts = documents(10, 4_000);
    for (const text of texts) await writer.register(sha256Hex(text), text);
    // Another instance, with nothing in its memory, sees what Redis kept.
    const reader = automaticPersistedQueries({ logger, maxBytes: 10_000, redis: { client, prefix } });
    expect(await reader.get(sha256Hex(texts[9]!))).toBe(texts[9]);
    expect(await reader.get(sha256Hex(texts[0]!))).toBeUndefined();
    let usage = 0;
    for (const key of await client.keys(`${prefix}*`)) usage += (await client.memory('USAGE', key)) ?? 0;
    expect(usage).toBeGreaterThan(8_000);
    expect(usage).toBeLessThan(20_000);
  });
});
