import { context, createContextKey, trace, type Context } from '@opentelemetry/api';
import { ATTR } from './tracer';

const SERVICE = createContextKey('commerce.service');

/**
 * Runs `fn` as work of one service. `npm start` runs every service in one process, so one OpenTelemetry resource
 * (service.name) cannot tell them apart; the span processor stamps each span started in this scope with the
 * service's name, and the active span (the HTTP server span of a request) is stamped here. Without an SDK the
 * context API is a no-op and this only calls `fn`.
 */
export function inService<T>(service: string, fn: () => T): T {
  trace.getActiveSpan()?.setAttribute(ATTR.service, service);
  return context.with(serviceContext(service), fn);
}

export function serviceOf(ctx: Context): string | undefined {
  const value = ctx.getValue(SERVICE);
  return typeof value === 'string' ? value : undefined;
}

/** `base` (by default the active context) as work of `service`, for spans started with an explicit parent. */
export function serviceContext(service: string, base: Context = context.active()): Context {
  return base.setValue(SERVICE, service);
}
