import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Express, Request, Response } from 'express';
import { readBody } from '../../../../lib/http/read-body';
import { WEBHOOK_BODY_LIMIT_BYTES, type StripeWebhookHandler, type WebhookAnswer } from './stripe-webhooks';

export const WEBHOOK_PATH = '/webhooks/stripe';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** The webhook on an Express app (the local Payments service), reading the body as raw bytes: the signature covers them. */
export function mountStripeWebhook(app: Express, handle: StripeWebhookHandler): void {
  app.post(WEBHOOK_PATH, async (req: Request, res: Response) => {
    const body = await readBody(req, WEBHOOK_BODY_LIMIT_BYTES);
    const signature = req.headers['stripe-signature'];
    const answer: WebhookAnswer =
      body.kind === 'ok'
        ? await handle(body.bytes, typeof signature === 'string' ? signature : undefined)
        : { status: body.kind === 'too-large' ? 413 : 400, body: { error: `the body must be at most ${WEBHOOK_BODY_LIMIT_BYTES} bytes` } };
    res.status(answer.status).set(JSON_HEADERS).end(JSON.stringify(answer.body));
  });
}

/** The webhook on the public function URL (payload v2); nothing else is served there. */
export async function serveStripeWebhookFromLambda(handle: StripeWebhookHandler, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.rawPath !== WEBHOOK_PATH || event.requestContext.http.method !== 'POST') {
    return { statusCode: 404, headers: JSON_HEADERS, body: JSON.stringify({ error: `only POST ${WEBHOOK_PATH} is served here` }) };
  }
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > WEBHOOK_BODY_LIMIT_BYTES) return { statusCode: 413, headers: JSON_HEADERS, body: JSON.stringify({ error: `the body must be at most ${WEBHOOK_BODY_LIMIT_BYTES} bytes` }) };
  const signature = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'stripe-signature')?.[1];
  const answer = await handle(raw, signature);
  return { statusCode: answer.status, headers: JSON_HEADERS, body: JSON.stringify(answer.body) };
}
