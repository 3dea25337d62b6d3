import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { readBody } from '../../lib/http/read-body';
import { ControlError } from './errors';
import { cancelIntent } from './payment-intents';
import { writeJson, type EmulatorServices } from './services';

const MAX_BODY_BYTES = 64 * 1024;

const ReleaseBody = z.object({ events: z.array(z.string().min(1)).max(1000).optional() }).strict();
const EndpointBody = z.object({ url: z.string(), secret: z.string() }).strict();

async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body.kind !== 'ok') throw new ControlError(body.kind === 'too-large' ? 413 : 400, 'the body could not be read');
  const text = body.bytes.toString('utf8').trim();
  let value: unknown = {};
  if (text !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ControlError(400, 'the body must be JSON');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ControlError(400, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
  return parsed.data;
}

type Control = (req: IncomingMessage, services: EmulatorServices, id: string, url: URL) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };

/**
 * The emulator's own controls, for development and tests; Stripe has no such paths. JSON in and out.
 *
 * - `GET  /_emulator/health`: `{ "status": "ok" }`.
 * - `POST /_emulator/reset`: forgets every object, event, idempotency key and delivery (pending retries stop) and
 *   stops holding deliveries; webhook endpoints stay.
 * - `GET  /_emulator/webhook_endpoints`: the endpoint URLs. `POST` with `{ "url", "secret" }` adds one (or sets the
 *   secret of a known URL), for an emulator in another process.
 * - `POST /_emulator/payment_intents/:id/expire`: what Stripe does to an authorization left uncaptured for 7 days:
 *   the `requires_capture` intent becomes `canceled` with `cancellation_reason: "automatic"`, its charge's
 *   authorization is released, and `charge.expired` and `payment_intent.canceled` are sent.
 * - `POST /_emulator/events/:id/redeliver`: sends the event again to every endpoint (a duplicate delivery).
 * - `POST /_emulator/deliveries/hold`: new deliveries wait instead of being sent.
 * - `POST /_emulator/deliveries/release`: with `{ "events": ["evt_b", "evt_a"] }`, sends those events' held
 *   deliveries in that order (each one answered before the next is sent; holding goes on); without a body, sends
 *   every held delivery in the order held and stops holding. Answers with the released deliveries.
 * - `GET  /_emulator/deliveries[?event=evt_...]`: every delivery with its state (`held`, `scheduled`, `sending`,
 *   `succeeded`, `failed`), its attempts (time, duration, status or error, the start of the answer's body) and when
 *   the next attempt is due; and whether deliveries are being held.
 */
const CONTROLS: readonly { method: 'GET' | 'POST'; path: RegExp; run: Control }[] = [
  { method: 'GET', path: /^\/_emulator\/health$/, run: () => ({ status: 200, body: { status: 'ok' } }) },
  {
    method: 'POST',
    path: /^\/_emulator\/reset$/,
    run: (_req, services) => {
      services.state.reset();
      services.events.reset();
      services.idempotency.reset();
      services.webhooks.reset();
      return { status: 200, body: { reset: true } };
    },
  },
  { method: 'GET', path: /^\/_emulator\/webhook_endpoints$/, run: (_req, services) => ({ status: 200, body: { endpoints: services.webhooks.endpointUrls() } }) },
  {
    method: 'POST',
    path: /^\/_emulator\/webhook_endpoints$/,
    run: async (req, services) => {
      const { url, secret } = await readJson(req, EndpointBody);
      try {
        services.webhooks.addEndpoint(url, secret);
      } catch (error) {
        throw new ControlError(400, error instanceof Error ? error.message : String(error));
      }
      return { status: 201, body: { endpoints: services.webhooks.endpointUrls() } };
    },
  },
  {
    method: 'POST',
    path: /^\/_emulator\/payment_intents\/([^/]+)\/expire$/,
    run: (_req, services, id) => {
      const intent = services.state.paymentIntents.get(id);
      if (!intent) throw new ControlError(404, `no payment intent ${id}`);
      if (intent.status !== 'requires_capture') {
        throw new ControlError(409, `only an uncaptured authorization (status requires_capture) expires; ${id} is ${intent.status}`);
      }
      cancelIntent(services, intent, 'automatic', null);
      return { status: 200, body: { payment_intent: intent } };
    },
  },
  {
    method: 'POST',
    path: /^\/_emulator\/events\/([^/]+)\/redeliver$/,
    run: (_req, services, id) => {
      const recorded = services.events.get(id);
      if (!recorded) throw new ControlError(404, `no event ${id}`);
      if (services.webhooks.endpointCount() === 0) throw new ControlError(409, 'there is no webhook endpoint to deliver to');
      return { status: 202, body: { deliveries: services.webhooks.deliver(recorded, true) } };
    },
  },
  {
    method: 'POST',
    path: /^\/_emulator\/deliveries\/hold$/,
    run: (_req, services) => {
      services.webhooks.hold();
      return { status: 200, body: { holding: true } };
    },
  },
  {
    method: 'POST',
    path: /^\/_emulator\/deliveries\/release$/,
    run: async (req, services) => {
      const { events } = await readJson(req, ReleaseBody);
      return { status: 200, body: { released: await services.webhooks.release(events) } };
    },
  },
  {
    method: 'GET',
    path: /^\/_emulator\/deliveries$/,
    run: (_req, services, _id, url) => ({
      status: 200,
      body: { holding: services.webhooks.isHolding(), deliveries: services.webhooks.list(url.searchParams.get('event') ?? undefined) },
    }),
  },
];

export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, services: EmulatorServices): Promise<void> {
  const control = CONTROLS.find((candidate) => candidate.method === req.method && candidate.path.test(url.pathname));
  try {
    if (!control) throw new ControlError(404, `no control ${req.method} ${url.pathname}`);
    const id = decodeURIComponent(control.path.exec(url.pathname)?.[1] ?? '');
    const { status, body } = await control.run(req, services, id, url);
    writeJson(res, status, body);
  } catch (error) {
    if (error instanceof ControlError || error instanceof URIError) {
      writeJson(res, error instanceof ControlError ? error.status : 400, { error: { message: error.message } });
      return;
    }
    services.logger.error({ err: error, path: url.pathname }, 'stripe emulator control failed');
    writeJson(res, 500, { error: { message: 'the control failed; see the emulator log' } });
  }
}
