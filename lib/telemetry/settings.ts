import { externalSetting, type Settings } from '../config/setting';

const SDK = 'the OpenTelemetry SDK (lib/telemetry/sdk.ts); checked at start-up by lib/telemetry/settings.ts';
const SPEC = 'https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/';

/**
 * The standard OpenTelemetry variables this code reads or hands to the SDK, as the specification defines them
 * (docs/configuration.md "Observability"; docs/operations.md "Traces"). Tracing is off unless one names an exporter.
 */
export const telemetryVariables = {
  OTEL_EXPORTER_OTLP_ENDPOINT: externalSetting({
    group: 'observability',
    readBy: SDK,
    accepts: 'an http or https URL',
    default: 'none: tracing off',
    description: 'Turns tracing on and sends spans over OTLP there (e.g. `http://localhost:4318`); an invalid URL stops start-up.',
  }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: externalSetting({
    group: 'observability',
    readBy: SDK,
    accepts: 'an http or https URL',
    default: '`OTEL_EXPORTER_OTLP_ENDPOINT`',
    description: 'The same, for traces only (the full URL, `/v1/traces` included).',
  }),
  OTEL_TRACES_EXPORTER: externalSetting({
    group: 'observability',
    readBy: SDK,
    accepts: 'a comma list of `otlp`, `console`, `none`',
    default: '`otlp` when an endpoint is set, else tracing off',
    description: '`console` prints spans; `none` turns tracing off whatever else is set.',
  }),
  OTEL_EXPORTER_OTLP_PROTOCOL: externalSetting({
    group: 'observability',
    readBy: SDK,
    accepts: '`http/protobuf`, `http/json`, `grpc`',
    default: '`http/protobuf`',
    description: 'The OTLP protocol; `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` sets it for traces only.',
  }),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: externalSetting({
    group: 'observability',
    readBy: SDK,
    accepts: '`http/protobuf`, `http/json`, `grpc`',
    default: '`OTEL_EXPORTER_OTLP_PROTOCOL`',
    description: 'The OTLP protocol of traces.',
  }),
  OTEL_SERVICE_NAME: externalSetting({
    group: 'observability',
    readBy: SDK,
    accepts: 'text',
    default: 'the part `run-service.ts` runs (`gateway`, `catalog`...), the Lambda function name, or `federated-commerce`',
    description: 'The `service.name` of the spans (also from `service.name` in `OTEL_RESOURCE_ATTRIBUTES`).',
  }),
  OTEL_RESOURCE_ATTRIBUTES: externalSetting({
    group: 'observability',
    readBy: SDK,
    accepts: 'a comma list of `key=value`',
    default: 'none',
    description: 'Attributes of every span\'s resource (`deployment.environment=staging,service.version=1.4.2`).',
  }),
  OTEL_SDK_DISABLED: externalSetting({
    group: 'observability',
    readBy: SDK,
    accepts: '`true`',
    default: 'tracing as the other variables say',
    description: `\`true\` turns tracing off. \`OTEL_EXPORTER_OTLP_HEADERS\`, \`OTEL_TRACES_SAMPLER\`, \`OTEL_TRACES_SAMPLER_ARG\`, \`OTEL_BSP_*\` and \`OTEL_LOG_LEVEL\` work as [the specification](${SPEC}) defines them.`,
  }),
} satisfies Settings;

/**
 * Whether this process exports traces, decided from the standard OpenTelemetry variables alone (the SDK's own
 * configuration: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/). Tracing is
 * off unless an exporter is asked for, so a process that nobody traces loads no SDK and no instrumentation.
 */
export interface TelemetrySettings {
  readonly enabled: boolean;
  /** Why it is on or off, for the start-up log line. */
  readonly reason: string;
}

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;

export class TelemetryConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid OpenTelemetry configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TelemetryConfigError';
  }
}

const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** Reads the variables; a value the SDK would ignore or misread stops start-up with the variable's name instead. */
export function telemetrySettings(env: Record<string, string | undefined>): TelemetrySettings {
  const problems: string[] = [];
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) {
    const value = env[name];
    if (isSet(value) && !(OTLP_PROTOCOLS as readonly string[]).includes(value.trim())) {
      problems.push(`${name}: must be one of ${OTLP_PROTOCOLS.join(', ')}, got ${JSON.stringify(value)}`);
    }
  }
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    const value = env[name];
    if (isSet(value) && !/^https?:\/\/[^/\s]+/.test(value.trim())) {
      problems.push(`${name}: must be an http or https URL, got ${JSON.stringify(value)}`);
    }
  }
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = exporters.filter((name) => !(TRACES_EXPORTERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    problems.push(`OTEL_TRACES_EXPORTER: must be a comma list of ${TRACES_EXPORTERS.join(', ')}, got ${JSON.stringify(env['OTEL_TRACES_EXPORTER'])}`);
  }
  if (problems.length > 0) throw new TelemetryConfigError(problems);

  if (/^true$/i.test(env['OTEL_SDK_DISABLED']?.trim() ?? '')) return { enabled: false, reason: 'OTEL_SDK_DISABLED=true' };
  if (exporters.includes('none')) return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };
  if (exporters.length > 0) return { enabled: true, reason: `OTEL_TRACES_EXPORTER=${exporters.join(',')}` };
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (isSet(endpoint)) return { enabled: true, reason: `OTLP endpoint ${endpoint.trim()}` };
  return { enabled: false, reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set' };
}

/**
 * The resource's service name when the variables name none: the part a container runs (`run-service.ts
 * gateway`), or the whole system for `npm start`. OTEL_SERVICE_NAME or service.name in OTEL_RESOURCE_ATTRIBUTES win.
 */
export function defaultServiceName(env: Record<string, string | undefined>, argv: readonly string[]): string | undefined {
  if (isSet(env['OTEL_SERVICE_NAME']) || /(^|,)\s*service\.name\s*=/.test(env['OTEL_RESOURCE_ATTRIBUTES'] ?? '')) return undefined;
  const script = argv.findIndex((arg) => /run-service\.(ts|js)$/.test(arg));
  const part = script >= 0 ? argv[script + 1] : undefined;
  if (part && /^(catalog|orders|rewards|payments|shipping|notifications|gateway|seed)$/.test(part)) return part;
  const lambda = env['AWS_LAMBDA_FUNCTION_NAME'];
  if (isSet(lambda)) return lambda;
  return 'federated-commerce';
}
