import { context, propagation, ROOT_CONTEXT, trace, type Context, type SpanContext } from '@opentelemetry/api';

/** W3C Trace Context fields as they travel outside HTTP headers (an event envelope). */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

const MAX_TRACESTATE = 512;

/**
 * The active trace as W3C `traceparent` / `tracestate` (https://www.w3.org/TR/trace-context/), through the
 * registered propagator; empty when nothing is traced (no SDK, or no span active).
 */
export function currentTraceCarrier(): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const result: TraceCarrier = {};
  if (carrier['traceparent']) result.traceparent = carrier['traceparent'];
  // Vendors' tracestate is optional to carry; an overlong one is dropped rather than fail the event.
  if (carrier['tracestate'] && carrier['tracestate'].length <= MAX_TRACESTATE) result.tracestate = carrier['tracestate'];
  return result;
}

/** The remote span context a carrier names, or undefined when it names none (or an invalid one). */
export function spanContextFrom(carrier: TraceCarrier): { context: Context; spanContext: SpanContext } | undefined {
  if (!carrier.traceparent) return undefined;
  const extracted = propagation.extract(ROOT_CONTEXT, { ...carrier });
  const spanContext = trace.getSpanContext(extracted);
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { context: extracted, spanContext };
}

/** trace_id / span_id of the active span for log lines (OpenTelemetry's log correlation field names). */
export function activeTraceIds(): { trace_id: string; span_id: string; trace_flags: string } | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const ids = span.spanContext();
  if (!trace.isSpanContextValid(ids)) return undefined;
  return { trace_id: ids.traceId, span_id: ids.spanId, trace_flags: `0${ids.traceFlags.toString(16)}`.slice(-2) };
}
