import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { RateLimitedError, type AppError } from '../../lib/ddd';
import { httpStatusOf } from '../../lib/http';
import type { Admission, Caller, Edge } from './admission';

declare module 'express-serve-static-core' {
  interface Request {
    /** What the gateway's edge admitted: the caller and the measured document (gateway/edge/http-edge.ts). */
    graphqlAdmission?: Extract<Admission, { ok: true }> | { readonly caller: Caller; readonly ok: false };
  }
}

/** The GraphQL error body the gateway answers with outside Apollo Server, shaped as its error formatter shapes them. */
export function errorBody(error: AppError): { errors: { message: string; extensions: Record<string, unknown> }[] } {
  return { errors: [{ message: error.message, extensions: { code: error.code, ...(error.details ? { details: error.details } : {}) } }] };
}

export function sendError(res: Response, error: AppError): void {
  if (error instanceof RateLimitedError) res.setHeader('retry-after', String(error.retryAfterSeconds));
  res.status(httpStatusOf[error.code]).json(errorBody(error));
}

/** A GET request's operation, from its query string (GraphQL over HTTP: variables and extensions JSON-encoded). */
function fromQueryString(req: Request): { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown } | undefined {
  const params = new URL(req.originalUrl, 'http://gateway').searchParams;
  if (!params.has('query') && !params.has('extensions')) return undefined;
  const json = (name: string): unknown => {
    const value = params.get(name);
    if (value === null || value === '') return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // not JSON: the shape check reports it
    }
  };
  return { query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined, variables: json('variables'), extensions: json('extensions') };
}

/**
 * The edge on Express, in front of Apollo Server and the multipart subscription handler: refusals are answered here
 * (before validation, planning or any subgraph call); an admitted request goes on with its caller and measured
 * document on `req.graphqlAdmission`, and with its document text in the body when it came from the persisted store
 * (Apollo Server's own persisted queries are off: the edge owns them).
 */
export function httpEdge(
  edge: Edge,
  addressOf: (req: IncomingMessage) => string,
  /** Told of every request the edge refuses, with how long it took (operation metrics count them as rejected). */
  onRefused: (seconds: number) => void = () => undefined,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const started = process.hrtime.bigint();
    let raw: { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown } | undefined;
    if (req.method === 'POST' && req.body && typeof req.body === 'object' && !Array.isArray(req.body)) raw = req.body as typeof raw;
    else if (req.method === 'GET') raw = fromQueryString(req);
    // Batches (refused by Apollo Server), landing pages and other methods: nothing to admit.
    if (!raw) return next();
    try {
      const admission = await edge.admit({ ...raw, address: addressOf(req) }, { authorization: req.headers.authorization });
      if (!admission.ok) {
        if (admission.error) {
          sendError(res, admission.error);
          onRefused(Number(process.hrtime.bigint() - started) / 1e9);
          return;
        }
        req.graphqlAdmission = { ok: false, caller: admission.caller };
        return next();
      }
      req.graphqlAdmission = admission;
      if (hasPersistedQuery(raw.extensions) || admission.fromStore) rewrite(req, raw, admission.query);
      next();
    } catch (error) {
      next(error);
    }
  };
}

function hasPersistedQuery(extensions: unknown): boolean {
  return !!extensions && typeof extensions === 'object' && 'persistedQuery' in extensions;
}

/** Hands Apollo Server the resolved text, without the persisted query extension it would try to serve itself. */
function rewrite(req: Request, raw: { extensions?: unknown }, query: string): void {
  const { persistedQuery: _resolved, ...extensions } = (raw.extensions ?? {}) as Record<string, unknown>;
  if (req.method === 'POST') {
    req.body = { ...(req.body as Record<string, unknown>), query, extensions };
    return;
  }
  const url = new URL(req.url, 'http://gateway');
  url.searchParams.set('query', query);
  url.searchParams.set('extensions', JSON.stringify(extensions));
  req.url = `${url.pathname}${url.search}`;
}
