import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { DomainEvent } from '../ddd';
import { currentTraceCarrier, type TraceCarrier } from '../telemetry/trace-context';
import { EVENT_SOURCES, eventDataSchemas, type EventData, type EventSource, type EventType } from './schemas';

/**
 * The envelope every event travels in (docs/architecture.md §4). `id` is what consumers deduplicate on. `traceparent` and
 * `tracestate` (W3C Trace Context, present when the producer was traced) carry the trace of the change that
 * caused the event, so the consumer's span joins it however late the event is delivered.
 */
export interface EventEnvelope<T extends EventType = EventType> extends Readonly<TraceCarrier> {
  readonly id: string;
  readonly type: T;
  readonly source: EventSource;
  readonly version: 1;
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly data: EventData<T>;
}

export type AnyEventEnvelope = { [T in EventType]: EventEnvelope<T> }[EventType];

const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.enum(Object.keys(eventDataSchemas) as [EventType, ...EventType[]]),
  source: z.string(),
  version: z.literal(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).max(128),
  // W3C Trace Context level 1: version-traceid-parentid-flags, lowercase hex.
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)')
    .optional(),
  tracestate: z.string().max(512).optional(),
  data: z.unknown(),
});

export class InvalidEventError extends Error {
  readonly code = 'INVALID_EVENT';
  constructor(readonly problems: readonly string[]) {
    super(`invalid event: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

/**
 * Validates an envelope and its data against the schema of its type. Used on publish (a producer bug fails
 * loudly at the source) and on receipt (a malformed event is dead-lettered instead of half-processed).
 */
export function parseEnvelope(input: unknown): AnyEventEnvelope {
  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) {
    throw new InvalidEventError(envelope.error.issues.map((i) => `${i.path.join('.') || 'envelope'}: ${i.message}`));
  }
  const { type, source } = envelope.data;
  if (EVENT_SOURCES[type] !== source) {
    throw new InvalidEventError([`source: ${type} is published by ${EVENT_SOURCES[type]}, not ${JSON.stringify(source)}`]);
  }
  const data = eventDataSchemas[type].safeParse(envelope.data.data);
  if (!data.success) {
    throw new InvalidEventError(data.error.issues.map((i) => `data.${i.path.join('.')}: ${i.message}`));
  }
  return { ...envelope.data, data: data.data } as AnyEventEnvelope;
}

/** Wraps a domain event for the wire: a fresh id, its source context, the request's correlation id and trace. */
export function envelopeFor<T extends EventType>(
  event: DomainEvent<T, EventData<T>> | DomainEvent<T, unknown>,
  correlationId: string | undefined,
): EventEnvelope<T> {
  return parseEnvelope({
    id: randomUUID(),
    type: event.type,
    source: EVENT_SOURCES[event.type],
    version: 1,
    occurredAt: event.occurredAt,
    correlationId: correlationId ?? randomUUID(),
    ...currentTraceCarrier(),
    data: event.data,
  }) as EventEnvelope<T>;
}
