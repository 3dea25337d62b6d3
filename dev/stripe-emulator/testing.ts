import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { closeServer } from '../../lib/http/listen';
import type { DeliveryView, RunningStripeEmulator } from '.';

/** Any `sk_test_` / `pk_test_` key works with the emulator; tests use these. */
export const TEST_SECRET_KEY = 'sk_test_emulator';
export const TEST_PUBLISHABLE_KEY = 'pk_test_emulator';

/** The official SDK pointed at the emulator, without network retries so each call is one request. */
export function stripeClient(emulator: Pick<RunningStripeEmulator, 'url'>, key = TEST_SECRET_KEY): Stripe {
  const { hostname, port } = new URL(emulator.url);
  return new Stripe(key, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0 });
}

/** The Stripe error a call failed with (fails the test when it succeeded or failed otherwise). */
export async function stripeError(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail with a Stripe error');
}

export interface ReceivedWebhook {
  readonly body: string;
  readonly signature: string;
  /** The event id in the body, for matching. */
  readonly eventId: string;
  readonly eventType: string;
}

/** What the receiver answers to its n-th request (1-based): a status, or `hang` to never answer. */
export type ReceiverAnswer = (request: number, received: ReceivedWebhook) => number | 'hang';

export interface WebhookReceiver {
  readonly url: string;
  /** Every request in arrival order, answered or not. */
  readonly received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** A real HTTP server on a free port recording the raw bytes and signature of every webhook request. */
export async function startWebhookReceiver(answer: ReceiverAnswer = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(body) as { id: string; type: string };
      const webhook: ReceivedWebhook = { body, signature: String(req.headers['stripe-signature']), eventId: parsed.id, eventType: parsed.type };
      received.push(webhook);
      const status = answer(received.length, webhook);
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ received: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`,
    received,
    close: () => closeServer(server, 0),
  };
}

/** Calls a `/_emulator/` control and returns its JSON answer with the status. */
export async function control<T = Record<string, unknown>>(emulator: Pick<RunningStripeEmulator, 'url'>, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export async function deliveries(emulator: Pick<RunningStripeEmulator, 'url'>, eventId?: string): Promise<DeliveryView[]> {
  const { body } = await control<{ deliveries: DeliveryView[] }>(emulator, 'GET', `deliveries${eventId ? `?event=${eventId}` : ''}`);
  return body.deliveries;
}
