import type { DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import type { AppConfig } from '../config';
import { createEventBus, envelopeFromEventBridge, relayStreamRecords, type EventBus, type EventConsumer, type OutboxStreamRecord } from '../events';
import { correlationIdFrom, runWithContext, type Logger } from '../logging';
import type { ServiceRuntime } from './service-runtime';

/** The bus a Lambda publishes to: EventBridge in AWS (EVENT_BUS=eventbridge), whatever is configured otherwise. */
export function lambdaEventBus(config: AppConfig, logger: Logger): EventBus {
  return createEventBus({ kind: config.eventBus.kind, redisUrl: config.redisUrl, eventBusName: config.eventBus.name, logger });
}

/**
 * Handles one EventBridge delivery with the same consumers the local buses run. The envelope is validated first;
 * a handler error fails the invocation, so Lambda's asynchronous retries and the on-failure queue take over.
 */
export async function handleEventBridgeDelivery(
  event: EventBridgeEvent<string, unknown>,
  consumers: readonly EventConsumer[],
  logger: Logger,
): Promise<{ handled: number }> {
  const envelope = envelopeFromEventBridge(event);
  return runWithContext({ correlationId: correlationIdFrom(envelope.correlationId) }, async () => {
    const matching = consumers.filter((consumer) => consumer.types.includes(envelope.type));
    if (matching.length === 0) logger.warn({ type: envelope.type, eventId: envelope.id }, 'no consumer for this event type; check the rule pattern');
    for (const consumer of matching) await consumer.handle(envelope);
    return { handled: matching.length };
  });
}

/**
 * The outbox relay on a table's DynamoDB Stream: the same publish-then-delete step as the local relay. A failed
 * publish fails the batch; the event source mapping retries it, bisecting to isolate a bad record, and sends
 * what still fails to its on-failure queue.
 */
export async function relayOutboxStream(
  event: DynamoDBStreamEvent,
  runtime: ServiceRuntime,
  bus: EventBus,
  tableName: string,
): Promise<{ published: number; ignored: number }> {
  return relayStreamRecords(
    { bus, doc: runtime.dynamo.doc, tableName, logger: runtime.logger },
    event.Records as unknown as readonly OutboxStreamRecord[],
  );
}
