import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { testRedisUrl, uniquePrefix } from '../../../test/support/services';
import { createLogger } from '../../logging';
import { freePort } from '../../process';
import { createRedisClient, startRedisServer, type LocalRedis } from '../../redis';
import { EventBusUnavailableError } from '../errors';
import { sampleEnvelope, TEST_EVENT_SIGNING_SECRET } from '../testing/fixtures';
import { waitFor } from '../testing/wait-for';
import { eventBusContract, recorder } from './event-bus.contract';
import { deadLetterStreamKey, eventStreamKey } from './redis-stream-keys';
import { RedisStreamsEventBus, type RedisStreamsEventBusOptions } from './redis-streams-event-bus';

const logger = createLogger({ service: 'redis-event-bus-test', level: process.env['LOG_LEVEL'] ?? 'silent' });

let admin: Redis;
beforeAll(() => {
  admin = createRedisClient(testRedisUrl());
});
afterAll(() => admin.quit());

/** Fast timings for tests; each bus gets its own key prefix on the shared redis-server. */
function testBus(options: Partial<RedisStreamsEventBusOptions> = {}): RedisStreamsEventBus {
  return new RedisStreamsEventBus({
    url: testRedisUrl(),
    logger,
    signingSecret: TEST_EVENT_SIGNING_SECRET,
    streamPrefix: uniquePrefix('events'),
    blockMs: 200,
    retryBackoff: { initialMs: 10, maxMs: 40 },
    loopErrorBackoff: { initialMs: 20, maxMs: 200 },
    ...options,
  });
}

eventBusContract('redis', async (settings) => {
  const bus = testBus(settings);
  return {
    bus,
    injectRaw: async (type, body) => {
      await admin.xadd(eventStreamKey(bus.streamPrefix, type), '*', 'event', body);
    },
    dispose: async () => undefined,
  };
});

describe('Redis Streams transport', () => {
  const buses: RedisStreamsEventBus[] = [];
  const track = (bus: RedisStreamsEventBus) => {
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  it('keeps one stream per event type, and dead letters in a stream per group', async () => {
    const bus = track(testBus({ maxAttempts: 1 }));
    await bus.subscribe({
      group: 'rewards',
      types: ['order.completed'],
      handle: async () => {
        throw new Error('always fails');
      },
    });
    const event = sampleEnvelope('order.completed');
    await bus.publish([event]);

    const entries = await admin.xrange(eventStreamKey(bus.streamPrefix, 'order.completed'), '-', '+');
    expect(entries).toHaveLength(1);
    const fields = entries[0]![1];
    expect(JSON.parse(fields[fields.indexOf('event') + 1]!)).toEqual({ ...event, signature: expect.stringMatching(/^v1=/) });
    expect(eventStreamKey(bus.streamPrefix, 'order.completed')).toBe(`${bus.streamPrefix}:order.completed`);

    await waitFor('the dead letter', async () => (await admin.xlen(deadLetterStreamKey(bus.streamPrefix, 'rewards'))) === 1);
    expect(deadLetterStreamKey(bus.streamPrefix, 'rewards')).toBe(`${bus.streamPrefix}:dead-letter:rewards`);
    expect(await bus.deadLetters('rewards')).toMatchObject([{ eventId: event.id, attempts: 1, reason: expect.stringContaining('always fails') }]);
    // Dead-lettering acknowledges: nothing stays pending in the group.
    expect((await admin.xpending(eventStreamKey(bus.streamPrefix, 'order.completed'), 'rewards'))[0]).toBe(0);
  });

  it('gives a group the events published before it first subscribed (groups start at id 0)', async () => {
    const bus = track(testBus());
    const early = sampleEnvelope('product.price.changed');
    await bus.publish([early]);
    const late = recorder();
    await bus.subscribe({ group: 'orders', types: ['product.price.changed'], handle: late.handle });
    await waitFor('the early event', () => late.calls.length === 1);
    expect(late.calls[0]!.id).toBe(early.id);
  });

  it("leaves an entry waiting out its consumer's own backoff with that member, even past the bus's reclaimIdleMs", async () => {
    const bus = track(testBus({ reclaimIdleMs: 300, reclaimIntervalMs: 50 }));
    const attempts: { member: string; at: number }[] = [];
    const member = (name: string) => ({
      group: 'mail',
      types: ['order.confirmed'] as const,
      // Backoff above the bus's reclaimIdleMs: accepted, and the group's reclaim waits twice the backoff instead.
      retry: { maxAttempts: 3, retryBackoff: { initialMs: 400, maxMs: 400 } },
      handle: async () => {
        attempts.push({ member: name, at: Date.now() });
        if (attempts.length < 3) throw new Error('mail server down');
      },
    });
    await bus.subscribe({ ...member('a'), types: ['order.confirmed'] });
    await bus.subscribe({ ...member('b'), types: ['order.confirmed'] });
    await bus.publish([sampleEnvelope('order.confirmed')]);

    await waitFor('the third attempt', () => attempts.length === 3);
    expect(new Set(attempts.map((attempt) => attempt.member)).size).toBe(1);
    expect(attempts.slice(1).every((attempt, i) => attempt.at - attempts[i]!.at >= 200)).toBe(true);
    await waitFor('nothing pending', async () => (await admin.xpending(eventStreamKey(bus.streamPrefix, 'order.confirmed'), 'mail'))[0] === 0);
    expect(await bus.deadLetters('mail')).toEqual([]);
  });

  it('reclaims an entry whose consumer died after reading it, once idle for reclaimIdleMs', async () => {
    const bus = track(testBus({ reclaimIdleMs: 400, reclaimIntervalMs: 100, retryBackoff: { initialMs: 10, maxMs: 40 } }));
    const stream = eventStreamKey(bus.streamPrefix, 'order.completed');
    await admin.xgroup('CREATE', stream, 'rewards', '0', 'MKSTREAM');
    const orphan = sampleEnvelope('order.completed', { orderId: 'order-orphan' });
    await bus.publish([orphan]);
    // A member that read the entry and died before acknowledging it.
    const read = await admin.xreadgroup('GROUP', 'rewards', 'dead-member', 'COUNT', 10, 'STREAMS', stream, '>');
    expect(read).not.toBeNull();
    expect((await admin.xpending(stream, 'rewards'))[0]).toBe(1);

    const handler = recorder();
    await bus.subscribe({ group: 'rewards', types: ['order.completed'], handle: handler.handle });
    const fresh = sampleEnvelope('order.completed', { orderId: 'order-fresh' });
    await bus.publish([fresh]);

    await waitFor('both events to be handled', () => handler.calls.length === 2);
    expect(handler.calls.map((e) => e.id).sort()).toEqual([orphan.id, fresh.id].sort());
    await waitFor('nothing to be pending', async () => (await admin.xpending(stream, 'rewards'))[0] === 0);
    expect(handler.calls).toHaveLength(2);
  });

  it('dead-letters without calling the handler an entry that already had maxAttempts deliveries', async () => {
    const bus = track(testBus({ maxAttempts: 2, reclaimIdleMs: 300, reclaimIntervalMs: 50, retryBackoff: { initialMs: 10, maxMs: 40 } }));
    const stream = eventStreamKey(bus.streamPrefix, 'order.completed');
    await admin.xgroup('CREATE', stream, 'rewards', '0', 'MKSTREAM');
    const crasher = sampleEnvelope('order.completed');
    await bus.publish([crasher]);
    // Two members each took it and died: the delivery counter is at 2 before this consumer ever sees it.
    await admin.xreadgroup('GROUP', 'rewards', 'dead-1', 'STREAMS', stream, '>');
    await admin.xclaim(stream, 'rewards', 'dead-2', 0, (await admin.xrange(stream, '-', '+'))[0]![0]);

    const handler = recorder();
    await bus.subscribe({ group: 'rewards', types: ['order.completed'], handle: handler.handle });
    await waitFor('the dead letter', async () => (await bus.deadLetters('rewards')).length === 1);
    expect(handler.calls).toEqual([]);
    expect((await bus.deadLetters('rewards'))[0]).toMatchObject({ eventId: crasher.id, attempts: 2, reason: expect.stringMatching(/delivered 2 times/) });
  });

  it('recreates its consumer group when the stream vanishes (Redis restarted without persistence) and keeps consuming', async () => {
    const bus = track(testBus());
    const stream = eventStreamKey(bus.streamPrefix, 'order.completed');
    const handler = recorder();
    await bus.subscribe({ group: 'rewards', types: ['order.completed'], handle: handler.handle });
    const first = sampleEnvelope('order.completed');
    await bus.publish([first]);
    await waitFor('the first event', () => handler.calls.length === 1);

    await admin.del(stream);
    const second = sampleEnvelope('order.completed');
    await waitFor('the group to be recreated', async () => {
      const groups = (await admin.exists(stream)) ? ((await admin.xinfo('GROUPS', stream)) as unknown[]) : [];
      return groups.length === 1;
    });
    await bus.publish([second]);
    await waitFor('the second event', () => handler.calls.length === 2);
    expect(handler.calls.map((e) => e.id)).toEqual([first.id, second.id]);
  });

  it('handles up to a consumer\'s concurrency limit at once, the deliveries of one key one after another in stream order', async () => {
    const bus = track(testBus({ batchSize: 20 }));
    const started: string[] = [];
    const running = new Map<string, () => void>();
    let most = 0;
    await bus.subscribe({
      group: 'lanes',
      types: ['order.completed'],
      concurrency: { limit: 2, key: (envelope) => (envelope.type === 'order.completed' ? envelope.data.customerId : envelope.id) },
      handle: async (envelope) => {
        if (envelope.type !== 'order.completed') return;
        const { orderId } = envelope.data;
        started.push(orderId);
        await new Promise<void>((release) => {
          running.set(orderId, release);
          most = Math.max(most, running.size);
        });
        running.delete(orderId);
      },
    });
    // One batch: a1 a2 of customer a, b1 b2 of b, c1 of c.
    await bus.publish(['a1', 'a2', 'b1', 'b2', 'c1'].map((orderId) => sampleEnvelope('order.completed', { orderId, customerId: orderId.slice(0, 1) })));
    const release = async (orderId: string, thenRunning: string[]) => {
      running.get(orderId)!();
      await waitFor(() => `${thenRunning.join(', ')} running (running: ${[...running.keys()].join(', ')})`, () => [...running.keys()].sort().join() === thenRunning.join());
    };
    await waitFor('two deliveries running', () => running.size === 2);
    expect([...running.keys()]).toEqual(['a1', 'b1']);
    await release('a1', ['a2', 'b1']);
    await release('b1', ['a2', 'b2']);
    await release('a2', ['b2', 'c1']);
    await release('b2', ['c1']);
    await release('c1', []);
    expect(started).toEqual(['a1', 'b1', 'a2', 'b2', 'c1']);
    expect(most).toBe(2);
  });

  it('refuses a consumer concurrency that is not 1 to 64 deliveries with a key', async () => {
    const bus = track(testBus());
    for (const limit of [0, 65, 1.5]) {
      await expect(bus.subscribe({ group: 'lanes', types: ['order.completed'], concurrency: { limit, key: (envelope) => envelope.id }, handle: async () => undefined })).rejects.toThrow(
        new TypeError(`event consumer lanes must handle 1 to 64 deliveries at once, with a key function, got ${limit}`),
      );
    }
  });

  it('trims event streams to about maxLen entries', async () => {
    const bus = track(testBus({ maxLen: 10 }));
    for (let batch = 0; batch < 30; batch += 1) {
      await bus.publish(Array.from({ length: 10 }, () => sampleEnvelope('reward.issued')));
    }
    const length = await admin.xlen(eventStreamKey(bus.streamPrefix, 'reward.issued'));
    // `MAXLEN ~` trims whole radix-tree nodes (100 entries by default), so the length is approximate.
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(300);
  });

  it('releases every connection it opened on close()', async () => {
    const bus = testBus();
    const ours = async () =>
      String(await admin.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(`name=${bus.streamPrefix}:`)).length;
    await bus.subscribe({ group: 'rewards', types: ['order.completed'], handle: async () => undefined });
    await bus.subscribe({ group: 'orders', types: ['payment.completed', 'product.updated'], handle: async () => undefined });
    await bus.publish([sampleEnvelope('order.completed')]);
    await waitFor('three connections (publisher and two consumers)', async () => (await ours()) === 3);

    await bus.close();
    await waitFor('no connection left', async () => (await ours()) === 0);
  });

  it('removes its consumer name from the group on close when nothing is pending', async () => {
    const bus = testBus();
    const stream = eventStreamKey(bus.streamPrefix, 'order.completed');
    const handler = recorder();
    await bus.subscribe({ group: 'rewards', types: ['order.completed'], handle: handler.handle });
    await bus.publish([sampleEnvelope('order.completed')]);
    await waitFor('the event', () => handler.calls.length === 1);
    expect(await admin.xinfo('CONSUMERS', stream, 'rewards')).toHaveLength(1);
    await bus.close();
    expect(await admin.xinfo('CONSUMERS', stream, 'rewards')).toHaveLength(0);
  });
});

describe('Redis Streams transport across a Redis restart', () => {
  let server: LocalRedis | undefined;
  let dataDir: string;
  let bus: RedisStreamsEventBus | undefined;
  let probe: Redis | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'redis-events-'));
  });
  afterAll(async () => {
    await bus?.close();
    probe?.disconnect();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every event published before and after the outage exactly once, and refuses to publish while Redis is down', async () => {
    const port = await freePort();
    server = await startRedisServer({ port, dataDir });
    // The bus logs every failed connection attempt: how the test sees the outage from the bus's side.
    const warnings: string[] = [];
    const failedAttempts = (role: string) => warnings.filter((line) => line.includes(`"role":"${role}"`) && line.includes('failed')).length;
    bus = new RedisStreamsEventBus({
      url: server.url,
      logger: createLogger({ service: 'redis-event-bus-test', level: 'warn', destination: { write: (line: string) => void warnings.push(line) } }),
      signingSecret: TEST_EVENT_SIGNING_SECRET,
      streamPrefix: uniquePrefix('restart'),
      blockMs: 500,
      reclaimIdleMs: 3000,
      retryBackoff: { initialMs: 10, maxMs: 40 },
      loopErrorBackoff: { initialMs: 50, maxMs: 500 },
      // Longer than iovalkey's longest reconnect delay (2 s), so the first publish after the restart waits for it.
      publishTimeoutMs: 3000,
    });
    const handled: string[] = [];
    // Deliberately no deduplication: any redelivery shows up as an extra call.
    await bus.subscribe({ group: 'rewards', types: ['order.completed'], handle: async (e) => void handled.push(e.id) });
    const batch = (label: string) => Array.from({ length: 5 }, (_, i) => sampleEnvelope('order.completed', { orderId: `${label}-${i}` }));

    const beforeOutage = batch('before');
    await bus.publish(beforeOutage);
    await waitFor('the events published before the outage', () => handled.length === 5);

    const rightBeforeStop = batch('racing');
    await bus.publish(rightBeforeStop);
    await server.stop();
    const startedAt = Date.now();
    await expect(bus.publish(batch('during'))).rejects.toThrow(EventBusUnavailableError);
    const rejectedAfter = Date.now() - startedAt;
    expect(rejectedAfter).toBeLessThan(10_000);
    // The outage lasts until the publisher has failed to reconnect 6 times: iovalkey then waits its longest delay
    // (2 s, lib/redis/client.ts) before the next attempt, which the first publish after the restart must wait out.
    await waitFor('6 failed reconnection attempts of the publisher', () => failedAttempts('publisher') >= 6, 30_000);
    expect(failedAttempts('consumer:rewards')).toBeGreaterThanOrEqual(1);

    server = await startRedisServer({ port, dataDir });
    const afterOutage = batch('after');
    await bus.publish(afterOutage);

    probe = createRedisClient(server.url);
    const stream = eventStreamKey(bus.streamPrefix, 'order.completed');
    await waitFor(
      'all 15 events handled and acknowledged',
      async () => handled.length >= 15 && (await probe!.xpending(stream, 'rewards'))[0] === 0,
      30_000,
      50,
    );
    const expected = [...beforeOutage, ...rightBeforeStop, ...afterOutage].map((e) => e.id);
    expect(handled).toHaveLength(15);
    expect([...handled].sort()).toEqual([...expected].sort());
    expect(await probe.xlen(stream)).toBe(15);
  }, 60_000);
});
