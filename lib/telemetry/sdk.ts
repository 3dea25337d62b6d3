/**
 * The OpenTelemetry SDK for this system: traces only (metrics are Prometheus, on each service's /metrics), the
 * official instrumentations for what the services use, and exporters chosen by the standard OTEL_* variables.
 * Loaded only when tracing is on (register.ts), before any instrumented module.
 */
import type { Context } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, type Span, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { serviceOf } from './service-scope';
import { ATTR } from './tracer';

/** Probes and scrapes would bury the traces of real requests. */
const UNTRACED_PATHS = /^\/(health(\/|$|\?)|metrics($|\?))/;

export interface StartedTelemetry {
  /** Exports what is buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

export function startTelemetry(env: Record<string, string | undefined>, serviceName: string | undefined): StartedTelemetry {
  const sdk = new NodeSDK({
    ...(serviceName ? { serviceName } : {}),
    spanProcessors: [new ServiceScopeProcessor(), ...exportersFromEnv(env).map((exporter) => new BatchSpanProcessor({ exporter, ...batchSettings(env) }))],
    // Traces only: the SDK would otherwise also start OTLP metric and log exporters by default.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      // The Catalog ACL's origin requests and fetch(); undici reports them on diagnostics channels.
      new UndiciInstrumentation(),
      // DynamoDB (and EventBridge) calls; the HTTP request under each is the same work, so no child span for it.
      new AwsInstrumentation({ suppressInternalInstrumentation: true }),
      // Parse, validate, execute, and one span per resolver we wrote: default field resolvers (reading a
      // property) and list items are not spans of their own.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * OTEL_TRACES_EXPORTER (default otlp) and, for OTLP, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL or
 * OTEL_EXPORTER_OTLP_PROTOCOL (default http/protobuf, as the specification says). Each exporter reads its own
 * endpoint, headers, timeout and compression variables.
 */
function exportersFromEnv(env: Record<string, string | undefined>): SpanExporter[] {
  const names = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== 'none');
  return (names.length > 0 ? names : ['otlp']).map((name): SpanExporter => {
    if (name === 'console') return new ConsoleSpanExporter();
    const protocol = (env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'])?.trim() || 'http/protobuf';
    if (protocol === 'http/json') return new OtlpJsonExporter();
    if (protocol === 'grpc') return new OtlpGrpcExporter();
    return new OtlpProtobufExporter();
  });
}

/** The batch processor's OTEL_BSP_* variables (the SDK applies them only to the processors it builds itself). */
function batchSettings(env: Record<string, string | undefined>) {
  const number = (name: string): number | undefined => {
    const value = Number(env[name]);
    return env[name] !== undefined && env[name] !== '' && Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const settings: { maxQueueSize?: number; scheduledDelayMillis?: number; exportTimeoutMillis?: number; maxExportBatchSize?: number } = {};
  const entries = [
    ['maxQueueSize', 'OTEL_BSP_MAX_QUEUE_SIZE'],
    ['scheduledDelayMillis', 'OTEL_BSP_SCHEDULE_DELAY'],
    ['exportTimeoutMillis', 'OTEL_BSP_EXPORT_TIMEOUT'],
    ['maxExportBatchSize', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'],
  ] as const;
  for (const [key, name] of entries) {
    const value = number(name);
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}

/** Stamps each span with the service whose work it is (service-scope.ts), for processes running several. */
class ServiceScopeProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const service = serviceOf(parentContext);
    if (service) span.setAttribute(ATTR.service, service);
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
