import { SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

/**
 * The tracer of the spans this code starts itself, where no instrumentation sees the work (an event delivery, a
 * Catalog lookup through the HTTP cache). Without a registered SDK it is the API's no-op tracer: its spans record
 * nothing and cost a few allocations.
 */
export const tracer: Tracer = trace.getTracer('federated-commerce');

/** Span attributes this code sets (custom ones under the application's own namespace, as the spec asks). */
export const ATTR = {
  /** Which part of the system handled the span: several run in one process under `npm start`. */
  service: 'commerce.service',
  correlationId: 'commerce.correlation_id',
  /** How the HTTP cache answered a Catalog lookup: hit, stale, revalidated, stale_if_error, miss. */
  cacheResult: 'http.cache.result',
} as const;

/**
 * Runs `fn` in a span of its own (INTERNAL), ending it when `fn` settles and marking it failed when `fn` throws.
 * For units of work no instrumentation sees; spans of instrumented libraries start inside it as its children.
 */
export function traced<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, (span) => endingSpan(span, fn));
}

/** Awaits `fn`, records its failure on `span`, and ends `span` either way. */
export async function endingSpan<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    span.end();
  }
}
