import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { testRedisUrl, uniquePrefix } from '../../test/support/services';
import { createLogger } from '../logging';
import { createEventBus } from './create-event-bus';
import { sampleEnvelope } from './testing/fixtures';
import { waitFor } from './testing/wait-for';
import { recorder } from './transports/event-bus.contract';
import { EventBridgeEventBus } from './transports/eventbridge-event-bus';
import { MemoryEventBus } from './transports/memory-event-bus';
import { RedisStreamsEventBus } from './transports/redis-streams-event-bus';
import { TEST_EVENT_SIGNING_SECRET } from './testing/fixtures';

const logger = createLogger({ service: 'create-event-bus-test', level: process.env['LOG_LEVEL'] ?? 'silent' });

describe('createEventBus', () => {
  it('builds the transport EVENT_BUS names', async () => {
    const memory = createEventBus({ kind: 'memory', eventBusName: 'ecommerce', logger, signingSecret: TEST_EVENT_SIGNING_SECRET });
    const redis = createEventBus({ kind: 'redis', redisUrl: testRedisUrl(), streamPrefix: uniquePrefix('factory'), eventBusName: 'ecommerce', logger, signingSecret: TEST_EVENT_SIGNING_SECRET });
    const eventBridge = createEventBus({ kind: 'eventbridge', eventBusName: 'ecommerce', logger, signingSecret: TEST_EVENT_SIGNING_SECRET, eventBridge: { region: 'us-east-1' } });
    expect(memory).toBeInstanceOf(MemoryEventBus);
    expect(redis).toBeInstanceOf(RedisStreamsEventBus);
    expect(eventBridge).toBeInstanceOf(EventBridgeEventBus);
    await Promise.all([memory.close(), redis.close(), eventBridge.close()]);
  });

  it('refuses redis without REDIS_URL', () => {
    expect(() => createEventBus({ kind: 'redis', eventBusName: 'ecommerce', logger, signingSecret: TEST_EVENT_SIGNING_SECRET })).toThrow(/EVENT_BUS "redis" needs REDIS_URL/);
  });

  it('counts published and handled events on the service registry', async () => {
    const registry = new Registry();
    const bus = createEventBus({ kind: 'memory', eventBusName: 'ecommerce', logger, signingSecret: TEST_EVENT_SIGNING_SECRET, registry });
    // A second bus on the same registry must not collide on metric names.
    await createEventBus({ kind: 'memory', eventBusName: 'ecommerce', logger, signingSecret: TEST_EVENT_SIGNING_SECRET, registry }).close();
    const handled = recorder();
    await bus.subscribe({ group: 'rewards', types: ['order.completed'], handle: handled.handle });
    await bus.publish([sampleEnvelope('order.completed'), sampleEnvelope('order.completed')]);
    await waitFor('both events handled', () => handled.calls.length === 2);
    const text = await registry.metrics();
    expect(text).toContain('events_published_total{transport="memory",type="order.completed"} 2');
    expect(text).toContain('events_delivered_total{transport="memory",group="rewards",type="order.completed",outcome="handled"} 2');
    await bus.close();
  });
});
