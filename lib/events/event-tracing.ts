import { ROOT_CONTEXT, SpanKind, context, trace, type Link } from '@opentelemetry/api';
import { runWithContext } from '../logging';
import { ATTR, endingSpan, serviceContext, spanContextFrom, tracer } from '../telemetry';
import type { AnyEventEnvelope } from './envelope';
import type { EventMetrics, HandlerOutcome } from './event-metrics';

export interface DeliveryTarget {
  /** The consumer group, which is also the consuming service (rewards, orders, gateway). */
  readonly group: string;
  /** memory, redis, eventbridge. */
  readonly transport: string;
  /** Where the handler's run is timed (events_handler_duration_seconds). */
  readonly metrics?: EventMetrics;
}

/**
 * Runs one delivery of an event to a consumer as that consumer's work: its logs carry the event's correlation id,
 * and, when tracing is on, a CONSUMER span "process <type>" (OpenTelemetry messaging conventions) is the parent of
 * everything the handler does. The span continues the producer's trace (the envelope's traceparent: a single
 * message may take its creation context as parent) and links to it, as the conventions recommend, so the path
 * from the request that changed the aggregate to each consumer's effect is one trace. The run is timed, by
 * outcome, on the target's metrics.
 */
export function handleDelivery<T>(envelope: AnyEventEnvelope, target: DeliveryTarget, handle: () => Promise<T>): Promise<T> {
  return runWithContext({ correlationId: envelope.correlationId }, () => {
    const producer = spanContextFrom(envelope);
    const links: Link[] = producer ? [{ context: producer.spanContext }] : [];
    const parent = serviceContext(target.group, producer?.context ?? ROOT_CONTEXT);
    const span = tracer.startSpan(
      `process ${envelope.type}`,
      {
        kind: SpanKind.CONSUMER,
        links,
        attributes: {
          'messaging.system': target.transport,
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': envelope.type,
          'messaging.consumer.group.name': target.group,
          'messaging.message.id': envelope.id,
          [ATTR.correlationId]: envelope.correlationId,
          [ATTR.service]: target.group,
        },
      },
      parent,
    );
    const started = performance.now();
    const ran = (outcome: HandlerOutcome) =>
      target.metrics?.handlerRan(target.transport, target.group, envelope.type, (performance.now() - started) / 1000, outcome);
    return context.with(trace.setSpan(parent, span), () =>
      endingSpan(span, handle).then(
        (result) => {
          ran('success');
          return result;
        },
        (error: unknown) => {
          ran('failure');
          throw error;
        },
      ),
    );
  });
}
