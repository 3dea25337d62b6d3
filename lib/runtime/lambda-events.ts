import type { DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import type { AppConfig } from '../config';
import {
  createEventBus,
  envelopeFromEventBridge,
  handleDelivery,
  OutboxRelay,
  relayStreamRecords,
  type EventBus,
  type EventConsumer,
  type OutboxStreamRecord,
} from '../events';
import { correlationIdFrom, runWithContext, type Logger } from '../logging';
import type { ServiceRuntime } from './service-runtime';

/** The bus a Lambda publishes to: EventBridge in AWS (EVENT_BUS=eventbridge), whatever is configured otherwise. */
export function lambdaEventBus(config: AppConfig, logger: Logger): EventBus {
  return createEventBus({ kind: config.eventBus.kind, redisUrl: config.redisUrl, eventBusName: config.eventBus.name, logger, signingSecret: config.eventSigningSecret });
}

/**
 * Handles one EventBridge delivery with the same consumers the local buses run. The envelope is validated first;
 * a handler error fails the invocation, so Lambda's asynchronous retries and the on-failure queue take over.
 */
export async function handleEventBridgeDelivery(
  event: EventBridgeEvent<string, unknown>,
  consumers: readonly EventConsumer[],
  logger: Logger,
  signingSecret: string,
): Promise<{ handled: number }> {
  let envelope;
  try {
    envelope = envelopeFromEventBridge(event, signingSecret);
  } catch (error) {
    const detail = (event as { detail?: { id?: unknown } }).detail;
    logger.warn({ eventId: typeof detail?.id === 'string' ? detail.id : undefined, type: event['detail-type'], err: error }, 'refused an EventBridge delivery');
    throw error;
  }
  const matching = consumers.filter((consumer) => consumer.types.includes(envelope.type));
  if (matching.length === 0) {
    runWithContext({ correlationId: correlationIdFrom(envelope.correlationId) }, () =>
      logger.warn({ type: envelope.type, eventId: envelope.id }, 'no consumer for this event type; check the rule pattern'),
    );
  }
  for (const consumer of matching) {
    await handleDelivery(envelope, { group: consumer.group, transport: 'eventbridge' }, () => consumer.handle(envelope));
  }
  return { handled: matching.length };
}

/** What the relay function is invoked with: its table's stream, or the schedule that sweeps leftovers. */
export type OutboxRelayInvocation = DynamoDBStreamEvent | { readonly sweep: true };

/**
 * The outbox relay in AWS, both halves of docs/architecture.md §4 in one function:
 * - on the table's DynamoDB Stream: the same publish-then-delete step as the local relay right after commit. A
 *   failed publish fails the batch; the event source mapping retries it, bisecting to isolate a bad record, and
 *   dead-letters what still fails (the row itself stays in the table);
 * - on a schedule: the sweep, which publishes rows still pending after that (a dead-lettered batch, an outage of
 *   EventBridge longer than the stream retries), exactly as the local periodic sweep does.
 */
export async function relayOutbox(
  event: OutboxRelayInvocation,
  runtime: ServiceRuntime,
  bus: EventBus,
  tableName: string,
): Promise<{ published: number; ignored?: number }> {
  const target = { bus, doc: runtime.dynamo.doc, tableName, logger: runtime.logger };
  if ('sweep' in event) return { published: await new OutboxRelay(target).sweep() };
  return relayStreamRecords(target, event.Records as unknown as readonly OutboxStreamRecord[]);
}
