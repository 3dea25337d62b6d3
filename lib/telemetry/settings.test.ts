import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { defaultServiceName, telemetrySettings, TelemetryConfigError } from './settings';

describe('telemetrySettings', () => {
  it('is off without an exporter, and on with an OTLP endpoint or OTEL_TRACES_EXPORTER', () => {
    expect(telemetrySettings({}).enabled).toBe(false);
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ enabled: true, reason: 'OTLP endpoint http://collector:4318' });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).enabled).toBe(true);
    expect(telemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(true);
    expect(telemetrySettings({ OTEL_TRACES_EXPORTER: 'console' }).enabled).toBe(true);
  });

  it('stays off when told so, whatever else is set', () => {
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toEqual({ enabled: false, reason: 'OTEL_SDK_DISABLED=true' });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
  });

  it('refuses values the SDK would misread, naming the variable and the value', () => {
    const problems = (env: Record<string, string>) => {
      try {
        telemetrySettings(env);
      } catch (error) {
        expect(error).toBeInstanceOf(TelemetryConfigError);
        return (error as TelemetryConfigError).problems;
      }
      throw new Error('expected a TelemetryConfigError');
    };
    expect(problems({ OTEL_EXPORTER_OTLP_PROTOCOL: 'json' })).toEqual(['OTEL_EXPORTER_OTLP_PROTOCOL: must be one of http/protobuf, http/json, grpc, got "json"']);
    expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT: must be an http or https URL, got "collector:4318"']);
    expect(problems({ OTEL_TRACES_EXPORTER: 'otlp,jaeger' })).toEqual(['OTEL_TRACES_EXPORTER: must be a comma list of otlp, console, none, got "otlp,jaeger"']);
  });
});

describe('defaultServiceName', () => {
  it('names the part a container runs, the whole system otherwise, and leaves an explicit name alone', () => {
    expect(defaultServiceName({}, ['node', '/app/dist/run-service.js', 'gateway'])).toBe('gateway');
    expect(defaultServiceName({}, ['node', 'scripts/run-service.ts', 'orders'])).toBe('orders');
    for (const part of ['payments', 'shipping', 'notifications']) expect(defaultServiceName({}, ['node', '/app/dist/run-service.js', part])).toBe(part);
    expect(defaultServiceName({}, ['node', 'scripts/dev.ts'])).toBe('federated-commerce');
    expect(defaultServiceName({ AWS_LAMBDA_FUNCTION_NAME: 'ecommerce-dev-orders' }, ['node', '/var/runtime/index.mjs'])).toBe('ecommerce-dev-orders');
    expect(defaultServiceName({ OTEL_SERVICE_NAME: 'shop' }, ['node', 'scripts/run-service.ts', 'orders'])).toBeUndefined();
    expect(defaultServiceName({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.name=shop' }, ['node', 'x'])).toBeUndefined();
  });
});

describe('the preload (register.ts)', () => {
  const root = resolve(__dirname, '../..');
  /** Which OpenTelemetry SDK and instrumentation modules a process with the preload has loaded. */
  const loadedSdkModules = (env: Record<string, string>) => {
    const script = "console.log(JSON.stringify(Object.keys(require.cache).filter((path) => /@opentelemetry[\\\\/](sdk-|instrumentation)/.test(path)).length))";
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
    return Number(execFileSync(process.execPath, ['--import', 'tsx', '--import', './lib/telemetry/register.ts', '-e', script], { cwd: root, env: { ...base, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim());
  };

  it('loads no SDK and no instrumentation when tracing is off, and both when it is on', () => {
    expect(loadedSdkModules({})).toBe(0);
    expect(loadedSdkModules({ OTEL_TRACES_EXPORTER: 'console' })).toBeGreaterThan(0);
  }, 60_000);

  it('stops the process with the variable named when the configuration is invalid', () => {
    let failure: { status: number | null; stderr: string } | undefined;
    try {
      loadedSdkModules({ OTEL_EXPORTER_OTLP_PROTOCOL: 'xml' });
    } catch (error) {
      failure = error as { status: number | null; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(String(failure?.stderr)).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: must be one of http/protobuf, http/json, grpc, got "xml"');
  }, 60_000);
});
