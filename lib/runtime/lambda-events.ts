import type { DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import type { AppConfig } from '../config';
// Module by module, not through lib/events' index: that one also loads the Redis Streams transport and iovalkey,
// which no function uses (docs/deploy.md, the bundles).
import type { EventBus, EventConsumer } from '../events/event-bus';
import { noEventMetrics } from '../events/event-metrics';
import { handleDelivery } from '../events/event-tracing';
import { envelopeFromEventBridge } from '../events/eventbridge-delivery';
import { OutboxRelay } from '../events/outbox-relay';
import { relayStreamRecords, type OutboxStreamRecord } from '../events/outbox-stream-relay';
import { EventBridgeEventBus } from '../events/transports/eventbridge-event-bus';
import { MemoryEventBus } from '../events/transports/memory-event-bus';
import { correlationIdFrom, runWithContext, type Logger } from '../logging';
import type { ServiceRuntime } from './service-runtime';

/**
 * The bus a Lambda publishes to: EventBridge (EVENT_BUS=eventbridge, as every deployed function is configured), or
 * the in-process bus of tests and one-process runs. Redis Streams serve the long-running services (their consumer
 * groups need a process that stays), so a function refuses EVENT_BUS=redis rather than bundle its client.
 */
export function lambdaEventBus(config: AppConfig, logger: Logger): EventBus {
  const options = { logger, signingSecret: config.eventSigningSecret, metrics: noEventMetrics };
  switch (config.eventBus.kind) {
    case 'eventbridge':
      return new EventBridgeEventBus({ ...options, eventBusName: config.eventBus.name });
    case 'memory':
      return new MemoryEventBus(options);
    default:
      throw new TypeError(`a Lambda function publishes its events to EventBridge: set EVENT_BUS=eventbridge (got ${JSON.stringify(config.eventBus.kind)})`);
  }
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
