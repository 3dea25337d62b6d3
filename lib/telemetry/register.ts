/**
 * Preload that turns tracing on before the application loads, so the instrumentations can wrap the modules they
 * patch (http, graphql, the AWS SDK) when those are first required:
 *   node --import tsx --import ./lib/telemetry/register.ts scripts/dev.ts     (npm start)
 *   node --require ./dist/telemetry.js dist/run-service.js gateway            (the container image)
 *   NODE_OPTIONS="--require /var/task/telemetry.js"                            (a Lambda function: docs/operations.md)
 * With no OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_TRACES_EXPORTER it returns without loading the SDK: a process that
 * nobody traces pays nothing for it.
 */
import { setTelemetryHandle } from './lifecycle';
import type * as Sdk from './sdk';
import { defaultServiceName, telemetrySettings, TelemetryConfigError } from './settings';

function register(): void {
  let settings;
  try {
    settings = telemetrySettings(process.env);
  } catch (error) {
    if (error instanceof TelemetryConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (!settings.enabled) return;
  // Synchronous on purpose: the SDK must be registered before the next module of the process is loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTelemetry } = require('./sdk') as typeof Sdk;
  setTelemetryHandle(startTelemetry(process.env, defaultServiceName(process.env, process.argv)));
}

register();
