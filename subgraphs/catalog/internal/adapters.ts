import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import type { StockHoldsApi } from './stock-holds-api';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const BODY_LIMIT = '64kb';

/** Serves the internal command API under /internal on an Express app (the local Catalog service). */
export function mountStockHoldsApi(app: Express, api: StockHoldsApi): void {
  // Four parameters: Express tells error handlers by their arity.
  const unreadableBody: ErrorRequestHandler = (_error, _req, res, _next) => {
    res.status(400).set(JSON_HEADERS).end(JSON.stringify({ error: { code: 'BAD_USER_INPUT', message: `the body must be JSON of at most ${BODY_LIMIT}` } }));
  };
  // The raw bytes are kept: the caller's signature covers them, not the parsed JSON.
  const keepRawBody = (req: unknown, _res: unknown, buffer: Buffer) => void ((req as { rawBody?: Buffer }).rawBody = buffer);
  app.use('/internal', express.json({ limit: BODY_LIMIT, verify: keepRawBody }), unreadableBody, async (req: Request, res: Response) => {
    const response = await api({
      method: req.method,
      path: new URL(req.originalUrl, 'http://catalog.local').pathname,
      target: req.originalUrl,
      headers: req.headers,
      rawBody: (req as { rawBody?: Buffer }).rawBody,
      body: req.body as unknown,
    });
    res.status(response.status).set(JSON_HEADERS).end(JSON.stringify(response.body));
  });
}

/** Serves the internal command API for function URL events (payload v2): the Lambda side of the same routes. */
export async function serveStockHoldsFromLambda(api: StockHoldsApi, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  let body: unknown;
  const rawBody = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  if (rawBody !== undefined && rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString());
    } catch {
      return { statusCode: 400, headers: JSON_HEADERS, body: JSON.stringify({ error: { code: 'BAD_USER_INPUT', message: 'the body must be JSON' } }) };
    }
  }
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const target = event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
  const response = await api({ method: event.requestContext.http.method, path: event.rawPath, target, headers, rawBody, body });
  return { statusCode: response.status, headers: JSON_HEADERS, body: JSON.stringify(response.body) };
}
