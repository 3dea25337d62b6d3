import Stripe from 'stripe';
import { newId, unixNow } from './ids';
import type { RequestInfo } from './state';

/** The event types the emulator emits, each where Stripe emits it (https://docs.stripe.com/api/events/types). */
export type EmittedEventType =
  | 'payment_intent.created'
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.payment_failed'
  | 'payment_intent.succeeded'
  | 'payment_intent.canceled'
  | 'charge.succeeded'
  | 'charge.failed'
  | 'charge.captured'
  | 'charge.refunded'
  | 'charge.expired'
  | 'refund.created';

export interface EmittedEvent extends Omit<Stripe.EventBase, 'type' | 'data'> {
  type: EmittedEventType;
  data: { object: Stripe.PaymentIntent | Stripe.Charge | Stripe.Refund };
}

/** An event and the exact bytes every delivery of it sends (the signature covers these bytes). */
export interface RecordedEvent {
  readonly event: EmittedEvent;
  readonly payload: string;
}

export interface EventLogHooks {
  /** How many webhook endpoints the event goes to (its `pending_webhooks` when created). */
  endpointCount(): number;
  /** How many of the event's endpoints have not yet answered a delivery with 2xx. */
  pendingDeliveries(eventId: string): number;
  /** Called once per new event, after it is recorded. */
  onEvent(recorded: RecordedEvent): void;
}

/**
 * Every event of the account, oldest first. `data.object` is a copy of the object as it was when the event happened,
 * so later changes never show in an earlier event. Events are rendered at the SDK's API version, as an account
 * pinned to it would see them.
 */
export class EventLog {
  private readonly events: RecordedEvent[] = [];
  private readonly byId = new Map<string, RecordedEvent>();

  constructor(private readonly hooks: EventLogHooks) {}

  emit(type: EmittedEventType, object: Stripe.PaymentIntent | Stripe.Charge | Stripe.Refund, request: RequestInfo | null): EmittedEvent {
    const event: EmittedEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: unixNow(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: this.hooks.endpointCount(),
      request: { id: request?.id ?? null, idempotency_key: request?.idempotencyKey ?? null },
      type,
    };
    // Stripe sends webhook bodies as indented JSON; the raw bytes are what a receiver verifies.
    const recorded: RecordedEvent = { event, payload: JSON.stringify(event, null, 2) };
    this.events.push(recorded);
    this.byId.set(event.id, recorded);
    this.hooks.onEvent(recorded);
    return event;
  }

  get(id: string): RecordedEvent | undefined {
    return this.byId.get(id);
  }

  /** The event as the API answers it now: `pending_webhooks` counts the endpoints still waiting for it. */
  render(recorded: RecordedEvent): EmittedEvent {
    return { ...structuredClone(recorded.event), pending_webhooks: this.hooks.pendingDeliveries(recorded.event.id) };
  }

  /** Newest first, as Stripe lists events. */
  newestFirst(): readonly RecordedEvent[] {
    return [...this.events].reverse();
  }

  reset(): void {
    this.events.length = 0;
    this.byId.clear();
  }
}
