import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import Stripe from 'stripe';
import { readBody } from '../../lib/http/read-body';
import type { ApiContext, ApiHandler, ApiResult } from './api';
import { authenticate, publishableKeyRefused } from './auth';
import { retrieveCharge } from './charges';
import { invalidRequest, StripeApiError } from './errors';
import { listEvents, retrieveEvent } from './events';
import { newRequestId } from './ids';
import { parseForm, Params, type ParamObject } from './params';
import { cancelPaymentIntent, capturePaymentIntent, checkClientSecret, confirmPaymentIntent, createPaymentIntent, retrievePaymentIntent } from './payment-intents';
import { createRefund, retrieveRefund } from './refunds';
import { writeJson, type EmulatorServices } from './services';

interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  readonly handler: ApiHandler;
  /** Callable with a publishable key and the intent's client secret (what Stripe.js does). */
  readonly publishable?: boolean;
}

const ID = '([^/]+)';
const ROUTES: readonly Route[] = [
  { method: 'POST', path: /^\/v1\/payment_intents$/, handler: createPaymentIntent },
  { method: 'GET', path: new RegExp(`^/v1/payment_intents/${ID}$`), handler: retrievePaymentIntent, publishable: true },
  { method: 'POST', path: new RegExp(`^/v1/payment_intents/${ID}/confirm$`), handler: confirmPaymentIntent, publishable: true },
  { method: 'POST', path: new RegExp(`^/v1/payment_intents/${ID}/capture$`), handler: capturePaymentIntent },
  { method: 'POST', path: new RegExp(`^/v1/payment_intents/${ID}/cancel$`), handler: cancelPaymentIntent },
  { method: 'POST', path: /^\/v1\/refunds$/, handler: createRefund },
  { method: 'GET', path: new RegExp(`^/v1/refunds/${ID}$`), handler: retrieveRefund },
  { method: 'GET', path: new RegExp(`^/v1/charges/${ID}$`), handler: retrieveCharge },
  { method: 'GET', path: /^\/v1\/events$/, handler: listEvents },
  { method: 'GET', path: new RegExp(`^/v1/events/${ID}$`), handler: retrieveEvent },
];

/** Stripe's API bodies are small; anything past this is refused before it is buffered. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Browsers call the API from other origins (the storefront confirms a payment with a publishable key), so every
 * answer carries Stripe's CORS headers: any origin, no cookies (keys travel in the request), preflights cached 5 min.
 */
const corsMiddleware = cors({
  origin: '*',
  methods: ['GET', 'POST'],
  exposedHeaders: ['Request-Id', 'Idempotent-Replayed', 'Original-Request', 'Stripe-Should-Retry'],
  maxAge: 300,
});

/** Applies the CORS headers; true when the request still needs an answer (a preflight is answered here). */
function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  let pending = false;
  // With static options the middleware is synchronous: it either calls next or ends a preflight.
  corsMiddleware(req, res, () => {
    pending = true;
  });
  return pending;
}

const unrecognized = (method: string, path: string): StripeApiError =>
  invalidRequest(`Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, { status: 404 });

function match(method: string, path: string): { route: Route; id: string } | undefined {
  for (const route of ROUTES) {
    const found = route.path.exec(path);
    if (route.method !== method || !found) continue;
    let id = found[1] ?? '';
    try {
      id = decodeURIComponent(id);
    } catch {
      // An undecodable id names nothing; it is looked up as sent and not found.
    }
    return { route, id };
  }
  return undefined;
}

async function readParams(req: IncomingMessage, url: URL): Promise<ParamObject> {
  if (req.method !== 'POST') return parseForm(url.search.slice(1));
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body.kind === 'too-large') throw invalidRequest(`Request body too large: at most ${MAX_BODY_BYTES} bytes.`, { status: 413 });
  if (body.kind === 'failed') throw invalidRequest('The request body could not be read.');
  const text = body.bytes.toString('utf8');
  const contentType = req.headers['content-type'] ?? '';
  if (text !== '' && !/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    throw invalidRequest(`Invalid request: unsupported Content-Type ${contentType || '(none)'}. If error persists and you need assistance, please contact support@stripe.com.`);
  }
  return parseForm(text);
}

/**
 * Stripe's v1 API for what the emulator implements: authentication, routing, form parameters, idempotent replays,
 * and Stripe's headers (`Request-Id`, `Stripe-Version`, `Idempotency-Key`) on every answer.
 */
export async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, services: EmulatorServices): Promise<void> {
  if (!applyCors(req, res)) return;
  const requestId = newRequestId();
  const method = req.method ?? 'GET';
  const idempotencyKey = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) ?? null : null;
  const headers: Record<string, string> = {
    'request-id': requestId,
    'stripe-version': (req.headers['stripe-version'] as string | undefined) ?? Stripe.API_VERSION,
    'cache-control': 'no-cache, no-store',
  };
  if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
  const endpoint = `${method} ${url.pathname}`;
  let params: ParamObject = {};
  let answer: ApiResult;
  let save = false;
  try {
    params = await readParams(req, url);
    const caller = authenticate(req.headers.authorization, params['key']);
    if (req.headers['stripe-account'] !== undefined) {
      throw invalidRequest('The emulator has a single account: the Stripe-Account header (Connect) is not supported.', { param: 'Stripe-Account' });
    }
    const matched = match(method, url.pathname);
    if (!matched) throw unrecognized(method, url.pathname);
    if (caller.kind === 'publishable' && !matched.route.publishable) throw publishableKeyRefused();
    if (idempotencyKey !== null) {
      const lookup = services.idempotency.lookup(idempotencyKey, endpoint, params);
      if (lookup.kind === 'replay') {
        writeJson(res, lookup.answer.status, lookup.answer.body, { ...headers, 'idempotent-replayed': 'true', 'original-request': lookup.answer.requestId });
        return;
      }
    }
    const context: ApiContext = {
      params: new Params(params),
      caller,
      request: { id: requestId, idempotencyKey },
      id: matched.id,
      state: services.state,
      events: services.events,
    };
    if (caller.kind === 'publishable') checkClientSecret(context);
    answer = matched.route.handler(context);
    save = true;
  } catch (error) {
    if (error instanceof StripeApiError) {
      answer = { status: error.status, body: { error: error.body } };
      save = error.executed;
    } else {
      services.logger.error({ err: error, requestId, endpoint }, 'stripe emulator failed on a request');
      answer = { status: 500, body: { error: { type: 'api_error', message: `An unknown error occurred (${requestId}).` } } };
    }
  }
  const text = JSON.stringify(answer.body, null, 2);
  if (save && idempotencyKey !== null) services.idempotency.save(idempotencyKey, endpoint, params, { status: answer.status, body: text, requestId });
  services.logger.debug({ requestId, endpoint, status: answer.status }, 'stripe emulator request');
  writeJson(res, answer.status, text, headers);
}
