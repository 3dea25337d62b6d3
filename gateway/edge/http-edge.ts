import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { RateLimitedError, type AppError } from '../../lib/ddd';
import { httpStatusOf } from '../../lib/http';
import type { PreExecutionStep } from '../http/graphql-request-listener';
import type { Edge } from './admission';
import { admitHttpRequest, type HttpAdmission } from './http-admission';

declare module 'express-serve-static-core' {
  interface Request {
    /** What the gateway's edge admitted: the caller and the measured document (gateway/edge/http-edge.ts). */
    graphqlAdmission?: HttpAdmission;
  }
}

/** The GraphQL error body the gateway answers with outside Apollo Server, shaped as its error formatter shapes them. */
export function errorBody(error: AppError): { errors: { message: string; extensions: Record<string, unknown> }[] } {
  return { errors: [{ message: error.message, extensions: { code: error.code, ...(error.details ? { details: error.details } : {}) } }] };
}

/** Answers a refusal: its status, `Retry-After` when rate limited, and the error body. */
export function sendError(res: ServerResponse, error: AppError): void {
  if (error instanceof RateLimitedError) res.setHeader('retry-after', String(error.retryAfterSeconds));
  res.statusCode = httpStatusOf[error.code];
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(errorBody(error)));
}

/** Told of every request the edge refuses, with how long it took (operation metrics count them as rejected). */
export type RefusalObserver = (seconds: number) => void;

/**
 * The edge on the Express route, in front of Apollo Server and the multipart subscription handler: refusals are
 * answered here; an admitted request goes on with `req.graphqlAdmission`, and with its document text in the body
 * when it came from the persisted store.
 */
export function httpEdge(edge: Edge, addressOf: (req: IncomingMessage) => string, onRefused: RefusalObserver = () => undefined) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const started = process.hrtime.bigint();
    try {
      const result = await admitHttpRequest(edge, { method: req.method, url: req.originalUrl, body: req.body as unknown, req }, addressOf);
      if (result.kind === 'refused') {
        sendError(res, result.error);
        onRefused(Number(process.hrtime.bigint() - started) / 1e9);
        return;
      }
      if (result.kind === 'continue') {
        req.graphqlAdmission = result.admission;
        if (result.body !== undefined) req.body = result.body;
        if (result.url !== undefined) req.url = result.url;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The same edge as the lean /graphql route's steps (gateway/http/graphql-request-listener.ts): before the body is
 * read, the caller is identified and a bad token or a caller over budget refused (a flood of them costs no body
 * parsing); once it is parsed, the operation is admitted.
 */
export function leanEdge(
  edge: Edge,
  addressOf: (req: IncomingMessage) => string,
  onRefused: RefusalObserver = () => undefined,
): { readonly beforeBody: PreExecutionStep; readonly afterBody: PreExecutionStep } {
  const beforeBody: PreExecutionStep = async (request, res) => {
    const started = process.hrtime.bigint();
    const identified = await edge.beforeBody(request.req.headers.authorization, addressOf(request.req));
    if (identified.ok) {
      request.identified = { caller: identified.caller };
      return false;
    }
    sendError(res, identified.error);
    onRefused(Number(process.hrtime.bigint() - started) / 1e9);
    return true;
  };
  const afterBody: PreExecutionStep = async (request, res) => {
    const started = process.hrtime.bigint();
    const result = await admitHttpRequest(edge, { method: request.req.method, url: request.url, body: request.body, req: request.req, identified: request.identified }, addressOf);
    if (result.kind === 'refused') {
      sendError(res, result.error);
      onRefused(Number(process.hrtime.bigint() - started) / 1e9);
      return true;
    }
    if (result.kind === 'continue') {
      request.admission = result.admission;
      if (result.body !== undefined) request.body = result.body;
      if (result.url !== undefined) request.url = result.url;
    }
    return false;
  };
  return { beforeBody, afterBody };
}
