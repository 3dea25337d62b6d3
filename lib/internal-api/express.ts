import type { Express, Request, Response } from 'express';
import { ErrorCode } from '../ddd';
import { readBody } from '../http/read-body';
import { failure, type InternalApi, type InternalResponse } from './router';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
export const INTERNAL_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Serves an internal API under /internal on an Express app (the local services). The body is read here, as raw
 * bytes (the caller's signature covers them, not the parsed JSON), rather than by express.json: the module is part
 * of composition roots that Lambda bundles load too, and body-parser's charset tables would be most of a bundle.
 */
export function mountInternalApi(app: Express, api: InternalApi): void {
  app.use('/internal', async (req: Request, res: Response) => {
    const result = await readBody(req, INTERNAL_BODY_LIMIT_BYTES);
    if (result.kind !== 'ok') return answer(res, { ...failure(ErrorCode.BAD_USER_INPUT, `the body must be JSON of at most ${INTERNAL_BODY_LIMIT_BYTES} bytes`), status: 413 });
    const parsed = parseJsonBody(result.bytes);
    if (!parsed.ok) return answer(res, failure(ErrorCode.BAD_USER_INPUT, 'the body must be JSON'));
    answer(
      res,
      await api({
        method: req.method,
        path: new URL(req.originalUrl, 'http://internal.local').pathname,
        target: req.originalUrl,
        headers: req.headers,
        rawBody: result.bytes,
        body: parsed.value,
      }),
    );
  });
}

/** An empty body is no body; anything else must be JSON. */
export function parseJsonBody(raw: string | Uint8Array | undefined): { ok: true; value: unknown } | { ok: false } {
  if (raw === undefined || raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function answer(res: Response, response: InternalResponse): void {
  res.status(response.status).set(JSON_HEADERS).end(JSON.stringify(response.body));
}
