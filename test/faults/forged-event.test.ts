import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import type Redis from 'iovalkey';
import { eventStreamKey, RedisStreamsEventBus } from '../../lib/events';
import { signedEventBody } from '../../lib/events/event-signature';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createRedisClient, redisOptionsFromUrl } from '../../lib/redis';
import { eventStreamPrefix, type RunningSystem } from '../../scripts/system';
import { REWARDS_CONSUMER_GROUP } from '../../subgraphs/rewards/infrastructure/event-consumers';
import { completeInProcess, confirmedOrders, createProduct } from '../support/commerce';
import { testRedisUrl } from '../support/services';
import { FAULT_TEST_RELAY } from '../support/fault-process';
import { startTestSystem } from '../support/system';

/**
 * Attack (issue 9): writing an `order.completed` envelope straight into the Redis stream minted 500,000 points
 * for an order that does not exist. Now Redis admits only an authenticated user, and an envelope whose signature
 * does not verify is dead-lettered with a warning: no points, and genuine events keep flowing.
 */

let system: RunningSystem;
let redis: Redis;
let bus: RedisStreamsEventBus;
const warnings: Record<string, unknown>[] = [];

beforeAll(async () => {
  system = await startTestSystem('fault-forged-event', {
    env: { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() },
    relay: FAULT_TEST_RELAY,
  });
  if (!(system.bus instanceof RedisStreamsEventBus)) throw new Error('expected the Redis Streams transport');
  bus = system.bus;
  redis = createRedisClient(testRedisUrl());
}, 60_000);
afterAll(async () => {
  await system?.stop();
  await redis?.quit();
});

/** Sends raw RESP commands on a fresh connection, as any client on the network could, and returns each first reply line. */
async function rawRedis(url: string, commands: readonly (readonly string[])[]): Promise<string[]> {
  const { host, port } = redisOptionsFromUrl(url);
  const socket = connect({ host: host ?? '127.0.0.1', port: port ?? 6379 });
  const replies: string[] = [];
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let end: number;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      replies.push(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const command of commands) socket.write(`*${command.length}\r\n${command.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`);
  await waitFor('a reply to every command', () => replies.length >= commands.length);
  socket.destroy();
  return replies;
}

describe('Redis', () => {
  it('refuses a client without the password (NOAUTH), and a wrong password (WRONGPASS)', async () => {
    const stream = eventStreamKey(eventStreamPrefix(system.config), 'order.completed');
    const forged = JSON.stringify(sampleEnvelope('order.completed'));
    const [anonymous] = await rawRedis(testRedisUrl(), [['XADD', stream, '*', 'event', forged]]);
    expect(anonymous).toMatch(/^-NOAUTH Authentication required/);
    const [wrong, after] = await rawRedis(testRedisUrl(), [['AUTH', 'ecommerce', 'not-the-password-000000'], ['XADD', stream, '*', 'event', forged]]);
    expect(wrong).toMatch(/^-WRONGPASS/);
    expect(after).toMatch(/^-NOAUTH/);
  });
});

describe('a forged order.completed written straight into the stream', () => {
  it('issues no points, is dead-lettered with the reason, and genuine events are still processed', async () => {
    const stream = eventStreamKey(eventStreamPrefix(system.config), 'order.completed');
    const forgedData = { orderId: 'forged-order', customerId: 'forged-customer', total: { amount: 50_000_000, currency: 'USD' } };
    const unsigned = sampleEnvelope('order.completed', forgedData);
    const guessed = sampleEnvelope('order.completed', { ...forgedData, orderId: 'forged-order-2' });
    // A genuine signed envelope whose total was raised on the way.
    const genuine = JSON.parse(signedEventBody(sampleEnvelope('order.completed', { ...forgedData, orderId: 'forged-order-3', total: { amount: 100, currency: 'USD' } }), 'test-event-signing-secret-0123456789abcdef')) as Record<string, unknown>;
    const raised = { ...genuine, data: { ...(genuine['data'] as object), total: { amount: 50_000_000, currency: 'USD' } } };
    for (const body of [JSON.stringify(unsigned), signedEventBody(guessed, 'a-guessed-secret-0123456789abcdef0123456'), JSON.stringify(raised)]) {
      await redis.xadd(stream, '*', 'id', 'forged', 'event', body);
    }

    // Behind them on the stream: a real order, completed through the application.
    const productId = await createProduct(system.urls.gateway, 'FORGED-1', 2_000);
    const [order] = await confirmedOrders(system, 1, { customerIds: ['forged-neighbour'], productId });
    await completeInProcess(system, order!.id);
    await waitFor('the genuine order to be issued', async () => (await system.rewards.deps.rewards.findIssuances([order!.id])).length === 1, 30_000, 100);
    await waitFor('the three forgeries to be dead-lettered', async () => (await bus.deadLetters(REWARDS_CONSUMER_GROUP)).length === 3, 30_000, 100);

    const letters = await bus.deadLetters(REWARDS_CONSUMER_GROUP);
    expect(letters.map((letter) => [letter.eventId, letter.deliveredAs, letter.attempts, letter.reason])).toEqual([
      [unsigned.id, 'order.completed', 0, 'unsigned event: the envelope has no signature'],
      [guessed.id, 'order.completed', 0, 'forged or altered event: the signature does not match the envelope'],
      [genuine['id'], 'order.completed', 0, 'forged or altered event: the signature does not match the envelope'],
    ]);
    expect(await system.rewards.deps.rewards.findIssuances(['forged-order', 'forged-order-2', 'forged-order-3'])).toEqual([]);
    expect(await system.rewards.deps.rewards.findAccount('forged-customer')).toBeNull();
    expect((await system.rewards.deps.rewards.findAccount('forged-neighbour'))?.balance).toBe(20);
    await waitFor('nothing pending in the group', async () => ((await redis.xpending(stream, REWARDS_CONSUMER_GROUP)) as [number])[0] === 0);
  }, 90_000);
});

describe('the warning', () => {
  it('names the event id and type of a rejected event', async () => {
    const { MemoryEventBus } = await import('../../lib/events');
    const { createLogger } = await import('../../lib/logging');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) warnings.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger({ service: 'forged-event-test', level: 'warn', destination: sink });
    const memory = new MemoryEventBus({ logger, signingSecret: 'test-event-signing-secret-0123456789abcdef' });
    await memory.subscribe({ group: 'rewards', types: ['order.completed'], handle: async () => undefined });
    const forged = sampleEnvelope('order.completed');
    memory.receive('order.completed', JSON.stringify(forged));
    await waitFor('the dead letter', async () => (await memory.deadLetters('rewards')).length === 1);
    await memory.close();
    expect(warnings).toContainEqual(
      expect.objectContaining({ level: 'warn', eventId: forged.id, type: 'order.completed', reason: 'unsigned event: the envelope has no signature', msg: expect.stringMatching(/^rejected an event whose signature does not verify/) }),
    );
  });
});
