import pino, { type Logger } from 'pino';
import { activeTraceIds } from '../telemetry/trace-context';
import { currentCorrelationId } from './request-context';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. The mixin stamps the current correlation id on every line written while a request
 * (or an event delivery) is being handled, whichever module writes it, and, when tracing is on and a span is
 * active, its trace_id and span_id (OpenTelemetry's log correlation fields), so a log line leads to its trace.
 */
export function createLogger(options: { service: string; level: string }): Logger {
  return pino({
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const correlationId = currentCorrelationId();
      const trace = activeTraceIds();
      return { ...(correlationId ? { correlationId } : {}), ...trace };
    },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  });
}
