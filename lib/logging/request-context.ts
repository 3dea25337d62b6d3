import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestDeadline } from './request-deadline';

/**
 * Per-request context carried implicitly through async calls, so that every log line and every outgoing
 * call (subgraph fetches, events written to the outbox) can name the correlation id of the request that
 * caused it without threading it through every signature.
 */
export interface RequestContext {
  readonly correlationId: string;
  /** The request's time budget, when it has one (requests a service serves; not background work). */
  readonly deadline?: RequestDeadline | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const CORRELATION_HEADER = 'x-correlation-id';

const VALID_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's correlation id when it is a sane token, else starts a new one (never trust it blindly into logs). */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && VALID_CORRELATION_ID.test(value) ? value : randomUUID();
}

let implicitContext = true;

/**
 * For a process that carries its request context explicitly (the standalone gateway passes the correlation id in
 * the GraphQL context): AsyncLocalStorage is never entered, because once entered its promise hooks tax every
 * promise the process creates (Node 20). Log lines of such a process name the correlation id explicitly.
 */
export function disableImplicitContext(): void {
  implicitContext = false;
}

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return implicitContext ? storage.run(context, fn) : fn();
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

export function currentDeadline(): RequestDeadline | undefined {
  return storage.getStore()?.deadline;
}
