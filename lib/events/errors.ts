/**
 * Failures of the event infrastructure. Like InvalidEventError they carry a stable `code` (docs/architecture.md §7):
 * the outbox relay and the composition roots match on it, and it survives a Lambda boundary.
 */
export class EventBusClosedError extends Error {
  readonly code = 'EVENT_BUS_CLOSED';
  constructor(transport: string, operation: 'publish' | 'subscribe') {
    super(`cannot ${operation}: the ${transport} event bus is closed`);
    this.name = 'EventBusClosedError';
  }
}

/** The transport did not accept the events; the outbox rows stay and the sweep publishes them later. */
export class EventBusUnavailableError extends Error {
  readonly code = 'EVENT_BUS_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventBusUnavailableError';
  }
}

export class SubscribeNotSupportedError extends Error {
  readonly code = 'SUBSCRIBE_NOT_SUPPORTED';
  constructor(message: string) {
    super(message);
    this.name = 'SubscribeNotSupportedError';
  }
}

/** An envelope bigger than the transport can carry (EventBridge: 256 KB per PutEvents entry). */
export class EventTooLargeError extends Error {
  readonly code = 'EVENT_TOO_LARGE';
  constructor(
    readonly eventId: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`event ${eventId} is ${sizeBytes} bytes as a PutEvents entry, over the ${limitBytes}-byte limit`);
    this.name = 'EventTooLargeError';
  }
}
