import type { Registry } from 'prom-client';
import type { EventBusKind } from '../config';
import type { Logger } from '../logging';
import type { EventBus } from './event-bus';
import { createEventMetrics, type EventMetrics } from './event-metrics';
import { EventBridgeEventBus, type EventBridgeEventBusOptions } from './transports/eventbridge-event-bus';
import { MemoryEventBus, type MemoryEventBusOptions } from './transports/memory-event-bus';
import { RedisStreamsEventBus, type RedisStreamsEventBusOptions } from './transports/redis-streams-event-bus';

export interface CreateEventBusOptions {
  /** `EVENT_BUS` (docs/architecture.md §5); AppConfig already defaults it to `redis` when REDIS_URL is set. */
  readonly kind: EventBusKind;
  /** `REDIS_URL`, required for `redis`. */
  readonly redisUrl?: string | undefined;
  /** `EVENT_BUS_NAME`, the EventBridge bus. */
  readonly eventBusName: string;
  /** Key prefix of the Redis streams. */
  readonly streamPrefix?: string;
  readonly logger: Logger;
  /** EVENT_SIGNING_SECRET: every envelope published is signed with it, every one received verified. */
  readonly signingSecret: string;
  /** The service's registry, for the events_* metrics. */
  readonly registry?: Registry;
  /** Or where the events_* metrics go when several services share the bus (EventMetricsByService); wins over registry. */
  readonly metrics?: EventMetrics;
  /** Timings and client settings per transport (tests shorten them; a local EventBridge endpoint). */
  readonly memory?: Partial<Omit<MemoryEventBusOptions, 'logger' | 'metrics' | 'signingSecret'>>;
  readonly redis?: Partial<Omit<RedisStreamsEventBusOptions, 'url' | 'logger' | 'streamPrefix' | 'metrics' | 'signingSecret'>>;
  readonly eventBridge?: Partial<Omit<EventBridgeEventBusOptions, 'eventBusName' | 'logger' | 'metrics' | 'signingSecret'>>;
}

/** Builds the transport chosen by configuration behind the one EventBus port (docs/architecture.md §4). */
export function createEventBus(options: CreateEventBusOptions): EventBus {
  const metrics = options.metrics ?? createEventMetrics(options.registry);
  const { logger, signingSecret } = options;
  switch (options.kind) {
    case 'memory':
      return new MemoryEventBus({ ...options.memory, logger, metrics, signingSecret });
    case 'redis':
      if (!options.redisUrl) throw new TypeError('EVENT_BUS "redis" needs REDIS_URL (redis://host:port) to be set');
      return new RedisStreamsEventBus({
        ...options.redis,
        url: options.redisUrl,
        ...(options.streamPrefix !== undefined ? { streamPrefix: options.streamPrefix } : {}),
        logger,
        metrics,
        signingSecret,
      });
    case 'eventbridge':
      return new EventBridgeEventBus({ ...options.eventBridge, eventBusName: options.eventBusName, logger, metrics, signingSecret });
    default: {
      const unknown: never = options.kind;
      throw new TypeError(`EVENT_BUS must be one of memory, redis, eventbridge, got ${JSON.stringify(unknown)}`);
    }
  }
}
