import { createLogger } from '../../logging';
import { eventBusContract } from './event-bus.contract';
import { MemoryEventBus } from './memory-event-bus';
import { TEST_EVENT_SIGNING_SECRET } from '../testing/fixtures';

const logger = createLogger({ service: 'memory-event-bus-test', level: process.env['LOG_LEVEL'] ?? 'silent' });

eventBusContract('memory', async (settings) => {
  const bus = new MemoryEventBus({ logger, signingSecret: TEST_EVENT_SIGNING_SECRET, ...settings });
  return {
    bus,
    injectRaw: async (type, body) => bus.receive(type, body),
    dispose: async () => undefined,
  };
});
