import type { Express, Request, Response } from 'express';
import { readBody } from '../../../lib/http/read-body';
import type { StockHoldsApi } from './stock-holds-api';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Serves the internal command API under /internal on an Express app (the local Catalog service). The body is read
 * here, as raw bytes (the caller's signature covers them, not the parsed JSON), rather than by express.json: this
 * module is part of Catalog's composition, which its Lambda bundle loads too, and body-parser's charset tables
 * would be most of that bundle.
 */
export function mountStockHoldsApi(app: Express, api: StockHoldsApi): void {
  app.use('/internal', async (req: Request, res: Response) => {
    const result = await readBody(req, BODY_LIMIT_BYTES);
    const read = result.kind === 'ok' ? result.bytes : undefined;
    let body: unknown;
    if (read === undefined) return answer(res, 413, { error: { code: 'BAD_USER_INPUT', message: `the body must be JSON of at most ${BODY_LIMIT_BYTES} bytes` } });
    if (read.length > 0) {
      try {
        body = JSON.parse(read.toString('utf8'));
      } catch {
        return answer(res, 400, { error: { code: 'BAD_USER_INPUT', message: 'the body must be JSON' } });
      }
    }
    const response = await api({
      method: req.method,
      path: new URL(req.originalUrl, 'http://catalog.local').pathname,
      target: req.originalUrl,
      headers: req.headers,
      rawBody: read,
      body,
    });
    answer(res, response.status, response.body);
  });
}

function answer(res: Response, status: number, body: unknown): void {
  res.status(status).set(JSON_HEADERS).end(JSON.stringify(body));
}

