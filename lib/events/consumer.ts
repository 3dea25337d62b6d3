import { retryPolicy, type RetryPolicy } from './backoff';
import type { EventConsumer } from './event-bus';
import { EVENT_TYPES } from './schemas';

const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** More handlers at once than this would only queue on the connection pools they share. */
const MAX_CONCURRENCY = 64;

/**
 * Checks a consumer before any transport uses it. The group becomes part of Redis keys and metric labels,
 * so it is kept to a short token; an unknown type would silently never be delivered, so it is refused.
 */
export function assertValidConsumer(consumer: EventConsumer): void {
  if (!GROUP_NAME.test(consumer.group)) {
    throw new TypeError(
      `event consumer group must be 1-64 letters, digits, ".", "_" or "-" starting with a letter or digit, got ${JSON.stringify(consumer.group)}`,
    );
  }
  if (consumer.types.length === 0) {
    throw new TypeError(`event consumer ${consumer.group} must subscribe to at least one event type`);
  }
  const unknown = consumer.types.filter((type) => !(EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) {
    throw new TypeError(
      `event consumer ${consumer.group} subscribes to unknown event types ${unknown.map((t) => JSON.stringify(t)).join(', ')}; known types: ${EVENT_TYPES.join(', ')}`,
    );
  }
  const { concurrency } = consumer;
  if (concurrency && (!Number.isInteger(concurrency.limit) || concurrency.limit < 1 || concurrency.limit > MAX_CONCURRENCY || typeof concurrency.key !== 'function')) {
    throw new TypeError(
      `event consumer ${consumer.group} must handle 1 to ${MAX_CONCURRENCY} deliveries at once, with a key function, got ${JSON.stringify(concurrency.limit)}`,
    );
  }
  if (consumer.retry) {
    try {
      retryPolicy({}, consumer.retry);
    } catch (error) {
      throw new TypeError(`event consumer ${consumer.group} has an invalid retry policy: ${(error as Error).message}`);
    }
  }
}

/** The attempts and backoff a transport applies to `consumer`: its own policy, else the transport's. */
export function consumerRetryPolicy(consumer: EventConsumer, transport: RetryPolicy): RetryPolicy {
  return consumer.retry ?? transport;
}
