import type { ServerResponse } from 'node:http';
import { ErrorCode, RateLimitedError, type AppError } from '../../lib/ddd';
import { httpStatusOf } from '../../lib/http';

/** The GraphQL error body the gateway answers with outside Apollo Server, shaped as its error formatter shapes them. */
export function errorBody(error: AppError): { errors: { message: string; extensions: Record<string, unknown> }[] } {
  return { errors: [{ message: error.message, extensions: { code: error.code, ...(error.details ? { details: error.details } : {}) } }] };
}

/**
 * The one way the gateway answers a refused HTTP request, on every step of /graphql: the status of its code,
 * `Retry-After` when rate limited, Apollo Server's `Cache-Control` on the persisted query answers (so an
 * intermediary never keeps "not found" for a hash that is registered a moment later), and the error body. `status`
 * overrides the code's own where HTTP has a more precise one (413 for a body too large).
 */
export function sendError(res: ServerResponse, error: AppError, status: number = httpStatusOf[error.code]): void {
  if (error instanceof RateLimitedError) res.setHeader('retry-after', String(error.retryAfterSeconds));
  if (error.code === ErrorCode.PERSISTED_QUERY_NOT_FOUND || error.code === ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED) {
    res.setHeader('cache-control', 'private, no-cache, must-revalidate');
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(errorBody(error)));
}

/** A failure nothing else answered, masked as the error formatter masks them: the client gets the correlation id only. */
export function sendInternalError(res: ServerResponse, correlationId: string): void {
  res.statusCode = 500;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message: `Internal server error (correlation id ${correlationId})`, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, correlationId } }] }));
}
