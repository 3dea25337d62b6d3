import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config';
import { EventBridgeEventBus } from '../events/transports/eventbridge-event-bus';
import { MemoryEventBus } from '../events/transports/memory-event-bus';
import { createLogger } from '../logging';
import { lambdaEventBus } from './lambda-events';

const logger = createLogger({ service: 'lambda-events-test', level: 'silent' });

describe('lambdaEventBus', () => {
  it('publishes to EventBridge as deployed, or in process in tests', async () => {
    const eventBridge = lambdaEventBus(loadConfig({ NODE_ENV: 'test', EVENT_BUS: 'eventbridge', EVENT_BUS_NAME: 'test-bus' }), logger);
    const memory = lambdaEventBus(loadConfig({ NODE_ENV: 'test', EVENT_BUS: 'memory' }), logger);
    expect([eventBridge instanceof EventBridgeEventBus, memory instanceof MemoryEventBus]).toEqual([true, true]);
    await Promise.all([eventBridge.close(), memory.close()]);
  });

  it('refuses Redis Streams, the bus of long-running services, naming the setting to change', () => {
    expect(() => lambdaEventBus(loadConfig({ NODE_ENV: 'test', REDIS_URL: 'redis://127.0.0.1:6379' }), logger)).toThrow(
      'a Lambda function publishes its events to EventBridge: set EVENT_BUS=eventbridge (got "redis")',
    );
  });
});
