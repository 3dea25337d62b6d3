import { backoffDelay } from '../../lib/events/backoff';
import type { Logger } from '../../lib/logging';
import { ControlError } from './errors';
import type { RecordedEvent } from './event-log';
import { newId } from './ids';
import { signatureHeader } from './signature';

export interface DeliveryPolicy {
  /** Attempts per delivery, the first included. */
  readonly maxAttempts: number;
  /** The pause before the second attempt; each later pause doubles, with jitter. */
  readonly initialDelayMs: number;
  /** The longest pause between two attempts. */
  readonly maxDelayMs: number;
  /** How long one attempt may take, answer body included, before it counts as failed. */
  readonly timeoutMs: number;
}

/**
 * Stripe retries a failed delivery with exponential backoff for up to three days in live mode; development wants
 * the same shape on a shorter clock: 8 attempts, 1 s doubling to at most 60 s. Stripe waits about 10 s for an answer.
 */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 8, initialDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 10_000 };

/** The part of an answer kept for the delivery log. */
const RESPONSE_SNIPPET_BYTES = 1024;

export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  secret: string;
}

export type DeliveryState = 'held' | 'scheduled' | 'sending' | 'succeeded' | 'failed';

export interface DeliveryAttempt {
  readonly number: number;
  /** When the attempt started (ISO 8601). */
  readonly at: string;
  readonly durationMs: number;
  /** The receiver's HTTP status, or null when there was no answer. */
  readonly status: number | null;
  /** Why there was no answer: a connection error code, or the timeout. */
  readonly error: string | null;
  /** The first 1 KiB of the answer's body. */
  readonly responseBody: string | null;
  readonly succeeded: boolean;
}

export interface DeliveryView {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly endpoint: string;
  /** True for a re-delivery asked for through the controls (the same event sent again). */
  readonly duplicate: boolean;
  readonly state: DeliveryState;
  readonly attempts: readonly DeliveryAttempt[];
  readonly nextAttemptAt: string | null;
}

interface Delivery {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly endpoint: WebhookEndpoint;
  readonly payload: string;
  readonly duplicate: boolean;
  state: DeliveryState;
  readonly attempts: DeliveryAttempt[];
  nextAttemptAt: number | null;
  timer: NodeJS.Timeout | undefined;
}

export function checkEndpoint(url: string, secret: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`a webhook endpoint must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`a webhook endpoint must be an http(s) URL, got ${JSON.stringify(url)}`);
  if (!/^whsec_\S+$/.test(secret)) throw new TypeError('a webhook signing secret starts with whsec_ and has no spaces, as Stripe issues them');
}

async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < RESPONSE_SNIPPET_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8');
}

/** Why an attempt got no answer. Read by shape, not `instanceof`: fetch's errors may come from another realm. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (failure.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (typeof failure.cause?.code === 'string') return failure.cause.code;
  return typeof failure.message === 'string' ? failure.message : String(error);
}

/**
 * Sends every event to every webhook endpoint as Stripe does: a signed JSON POST, 2xx is success, anything else (an
 * error status, a redirect, a refused connection, no answer in time) is retried with exponential backoff until the
 * attempts run out. At least once, never in a promised order: each delivery runs on its own.
 *
 * For tests it can hold new deliveries and release them in a chosen order, and it keeps a log of every attempt.
 */
export class WebhookDispatcher {
  private readonly endpoints = new Map<string, WebhookEndpoint>();
  private readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private lifetime = new AbortController();
  private holding = false;

  constructor(
    private readonly policy: DeliveryPolicy,
    private readonly logger: Logger,
  ) {}

  /** Adds an endpoint, or gives a known URL its new secret. */
  addEndpoint(url: string, secret: string): WebhookEndpoint {
    checkEndpoint(url, secret);
    const known = this.endpoints.get(url);
    if (known) {
      known.secret = secret;
      return known;
    }
    const endpoint: WebhookEndpoint = { id: newId('we'), url, secret };
    this.endpoints.set(url, endpoint);
    return endpoint;
  }

  endpointUrls(): string[] {
    return [...this.endpoints.keys()];
  }

  endpointCount(): number {
    return this.endpoints.size;
  }

  /** Endpoints that have not yet taken the event with a 2xx (re-deliveries aside). */
  pendingFor(eventId: string): number {
    return this.deliveries.filter((d) => d.eventId === eventId && !d.duplicate && d.state !== 'succeeded').length;
  }

  /** One delivery of the event per endpoint: held while holding, else sent right after the current request. */
  deliver(recorded: RecordedEvent, duplicate = false): DeliveryView[] {
    const created = [...this.endpoints.values()].map((endpoint) => {
      const delivery: Delivery = {
        id: newId('wd'),
        eventId: recorded.event.id,
        eventType: recorded.event.type,
        endpoint,
        payload: recorded.payload,
        duplicate,
        state: this.holding ? 'held' : 'scheduled',
        attempts: [],
        nextAttemptAt: null,
        timer: undefined,
      };
      this.deliveries.push(delivery);
      if (!this.holding) this.schedule(delivery, 0);
      return delivery;
    });
    return created.map(view);
  }

  /** From now on, new deliveries wait for `release` (retries of earlier ones go on). */
  hold(): void {
    this.holding = true;
  }

  isHolding(): boolean {
    return this.holding;
  }

  /**
   * Sends held deliveries one after the other, each one's first attempt answered before the next starts, so they
   * arrive in this order: the deliveries of `eventIds` in the order given (holding goes on), or, without ids, every
   * held delivery in the order it was held (and holding stops). Failed first attempts are retried as usual.
   */
  async release(eventIds?: readonly string[]): Promise<DeliveryView[]> {
    const held = this.deliveries.filter((d) => d.state === 'held');
    let chosen: Delivery[];
    if (eventIds === undefined) {
      this.holding = false;
      chosen = held;
    } else {
      if (new Set(eventIds).size !== eventIds.length) throw new ControlError(400, 'each event may be named once');
      chosen = eventIds.flatMap((eventId) => {
        const ofEvent = held.filter((d) => d.eventId === eventId);
        if (ofEvent.length === 0) throw new ControlError(400, `event ${eventId} has no held delivery`);
        return ofEvent;
      });
    }
    for (const delivery of chosen) delivery.state = 'scheduled';
    for (const delivery of chosen) await this.track(this.attempt(delivery));
    return chosen.map(view);
  }

  list(eventId?: string): DeliveryView[] {
    return this.deliveries.filter((d) => eventId === undefined || d.eventId === eventId).map(view);
  }

  /** Forgets every delivery (stopping retries and abandoning attempts under way) and stops holding; endpoints stay. */
  reset(): void {
    this.lifetime.abort();
    this.lifetime = new AbortController();
    for (const delivery of this.deliveries) clearTimeout(delivery.timer);
    this.deliveries.length = 0;
    this.holding = false;
  }

  async close(): Promise<void> {
    this.reset();
    this.lifetime.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    delivery.state = 'scheduled';
    delivery.nextAttemptAt = Date.now() + delayMs;
    delivery.timer = setTimeout(() => void this.track(this.attempt(delivery)), delayMs);
  }

  private track(attempt: Promise<void>): Promise<void> {
    this.inFlight.add(attempt);
    return attempt.finally(() => this.inFlight.delete(attempt));
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const lifetime = this.lifetime.signal;
    if (lifetime.aborted) return;
    delivery.state = 'sending';
    delivery.nextAttemptAt = null;
    delivery.timer = undefined;
    const startedAt = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    let responseBody: string | null = null;
    try {
      const response = await fetch(delivery.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'cache-control': 'no-cache',
          accept: '*/*; q=0.5, application/xml',
          'stripe-signature': signatureHeader(delivery.payload, delivery.endpoint.secret),
        },
        body: delivery.payload,
        // Stripe does not follow redirects: a 3xx is a failed delivery.
        redirect: 'manual',
        signal: AbortSignal.any([lifetime, AbortSignal.timeout(this.policy.timeoutMs)]),
      });
      status = response.status;
      responseBody = await readSnippet(response);
    } catch (failure) {
      error = describeFailure(failure, this.policy.timeoutMs);
    }
    if (lifetime.aborted) return;
    const succeeded = status !== null && status >= 200 && status < 300;
    const number = delivery.attempts.length + 1;
    delivery.attempts.push({ number, at: new Date(startedAt).toISOString(), durationMs: Date.now() - startedAt, status, error, responseBody, succeeded });
    const log = { eventId: delivery.eventId, type: delivery.eventType, endpoint: delivery.endpoint.url, attempt: number, status, error };
    if (succeeded) {
      delivery.state = 'succeeded';
      this.logger.debug(log, 'webhook delivered');
    } else if (number >= this.policy.maxAttempts) {
      delivery.state = 'failed';
      this.logger.warn(log, 'webhook delivery failed; no attempts left');
    } else {
      const delayMs = backoffDelay(number, { initialMs: this.policy.initialDelayMs, maxMs: this.policy.maxDelayMs });
      this.logger.info({ ...log, retryInMs: delayMs }, 'webhook delivery failed; retrying');
      this.schedule(delivery, delayMs);
    }
  }
}

function view(delivery: Delivery): DeliveryView {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    endpoint: delivery.endpoint.url,
    duplicate: delivery.duplicate,
    state: delivery.state,
    attempts: [...delivery.attempts],
    nextAttemptAt: delivery.nextAttemptAt === null ? null : new Date(delivery.nextAttemptAt).toISOString(),
  };
}
