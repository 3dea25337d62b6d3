import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Logger } from '../../logging';
import { backoffDelay, retryPolicy, sleep, type BackoffOptions } from '../backoff';
import { parseEnvelope, type AnyEventEnvelope } from '../envelope';
import { EventBusClosedError, EventBusUnavailableError, EventTooLargeError, SubscribeNotSupportedError } from '../errors';
import type { EventBus, EventConsumer, Subscription } from '../event-bus';
import { noEventMetrics, type EventMetrics } from '../event-metrics';
import { signedEventBody } from '../event-signature';
import { PUT_EVENTS_MAX_BYTES, putEventsBatches, putEventsEntry, putEventsEntrySize } from '../eventbridge-entry';

export interface EventBridgeEventBusOptions {
  readonly eventBusName: string;
  readonly logger: Logger;
  /**
   * EVENT_SIGNING_SECRET. EventBridge itself authenticates producers (IAM, the bus policy); envelopes are
   * signed anyway, so consumers can tell ours from any other event that reaches them, and verify it.
   */
  readonly signingSecret: string;
  /** A client to use as is; without it one is built from region, endpoint and credentials below. */
  readonly client?: EventBridgeClient;
  readonly region?: string;
  /** Another PutEvents endpoint (tests run a local one); with it, give static credentials too. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** PutEvents calls per batch, counting retries of failed entries and of throttled or failed calls. */
  readonly maxAttempts?: number;
  readonly retryBackoff?: BackoffOptions;
  readonly requestTimeoutMs?: number;
  readonly metrics?: EventMetrics;
}

export const EVENTBRIDGE_BUS_DEFAULTS = {
  maxAttempts: 5,
  retryBackoff: { initialMs: 100, maxMs: 5000 },
  requestTimeoutMs: 5000,
} as const;

const TRANSPORT = 'eventbridge';

/** Entry error codes the PutEvents reference lists as retryable; the others (access, malformed) never succeed. */
const RETRYABLE_ENTRY_CODES = new Set(['InternalFailure', 'ThrottlingException']);

const RETRYABLE_ERROR_NAMES = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

interface FailedEntry {
  readonly entry: PutEventsRequestEntry;
  readonly code: string;
  readonly message: string;
}

/**
 * Publishes through EventBridge PutEvents (docs/architecture.md §4): at most 10 entries and 256 KB per call, failed
 * entries (`FailedEntryCount`) and throttled or failed calls retried with backoff. The SDK's own retries are
 * off (`maxAttempts: 1`) so that this one policy bounds the attempts, whole-call and per-entry alike.
 *
 * Consuming is EventBridge's side: rules deliver events to Lambda targets, which read them with
 * envelopeFromEventBridge (eventbridge-delivery.ts), so subscribe() is refused.
 */
export class EventBridgeEventBus implements EventBus {
  private readonly client: EventBridgeClient;
  private readonly ownsClient: boolean;
  private readonly maxAttempts: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly metrics: EventMetrics;
  private closed = false;

  constructor(private readonly options: EventBridgeEventBusOptions) {
    ({ maxAttempts: this.maxAttempts, retryBackoff: this.retryBackoff } = retryPolicy(options, EVENTBRIDGE_BUS_DEFAULTS));
    this.metrics = options.metrics ?? noEventMetrics;
    if (!options.eventBusName) throw new TypeError('eventBusName is required for the EventBridge event bus');
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new EventBridgeClient({
        ...(options.region ? { region: options.region } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        maxAttempts: 1,
        requestHandler: { connectionTimeout: 2000, requestTimeout: options.requestTimeoutMs ?? EVENTBRIDGE_BUS_DEFAULTS.requestTimeoutMs },
      });
  }

  async publish(envelopes: readonly AnyEventEnvelope[]): Promise<void> {
    if (this.closed) throw new EventBusClosedError(TRANSPORT, 'publish');
    // Validated, then sent as given: fields a producer added beyond the schema reach the consumers.
    for (const envelope of envelopes) parseEnvelope(envelope);
    const entries = envelopes.map((envelope) => {
      const entry = putEventsEntry(envelope, this.options.eventBusName, signedEventBody(envelope, this.options.signingSecret));
      const size = putEventsEntrySize(entry);
      // Checked for all before sending any: an event EventBridge can never take must not half-publish a batch.
      if (size > PUT_EVENTS_MAX_BYTES) throw new EventTooLargeError(envelope.id, size, PUT_EVENTS_MAX_BYTES);
      return entry;
    });
    for (const batch of putEventsBatches(entries)) await this.putWithRetries(batch);
    for (const envelope of envelopes) this.metrics.published(TRANSPORT, envelope.type);
  }

  async subscribe(_consumer: EventConsumer): Promise<Subscription> {
    throw new SubscribeNotSupportedError(
      'the EventBridge event bus cannot subscribe in-process: consumers run as Lambda targets of EventBridge rules ' +
        '(read each delivery with envelopeFromEventBridge); use EVENT_BUS=redis or memory to consume events locally',
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) this.client.destroy();
  }

  private async putWithRetries(batch: readonly PutEventsRequestEntry[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; ; attempt += 1) {
      let failed: FailedEntry[];
      try {
        failed = await this.put(pending);
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.maxAttempts) {
          throw new EventBusUnavailableError(
            `EventBridge PutEvents to bus ${this.options.eventBusName} failed (attempt ${attempt} of ${this.maxAttempts}): ${describeError(error)}`,
            { cause: error },
          );
        }
        this.options.logger.warn({ err: error, attempt, entries: pending.length }, 'EventBridge PutEvents failed; retrying');
        await sleep(backoffDelay(attempt, this.retryBackoff));
        continue;
      }
      if (failed.length === 0) return;
      const permanent = failed.filter((failure) => !RETRYABLE_ENTRY_CODES.has(failure.code));
      if (permanent.length > 0 || attempt >= this.maxAttempts) {
        const shown = (permanent.length > 0 ? permanent : failed).slice(0, 3);
        throw new EventBusUnavailableError(
          `EventBridge rejected ${failed.length} of ${pending.length} event(s) on bus ${this.options.eventBusName}` +
            `${permanent.length > 0 ? '' : ` after ${attempt} attempts`}: ` +
            shown.map((failure) => `${eventIdOf(failure.entry)}: ${failure.code} ${failure.message}`.trim()).join('; '),
        );
      }
      this.options.logger.warn({ attempt, failed: failed.length, codes: [...new Set(failed.map((f) => f.code))] }, 'EventBridge failed some entries; retrying them');
      pending = failed.map((failure) => failure.entry);
      await sleep(backoffDelay(attempt, this.retryBackoff));
    }
  }

  /** One PutEvents call; the entries EventBridge failed, matched to the request by position (PutEvents API reference). */
  private async put(entries: readonly PutEventsRequestEntry[]): Promise<FailedEntry[]> {
    const output = await this.client.send(new PutEventsCommand({ Entries: [...entries] }));
    const results = output.Entries ?? [];
    if (!output.FailedEntryCount && results.every((result) => !result.ErrorCode)) return [];
    return entries.flatMap((entry, index) => {
      const result = results[index];
      if (result && !result.ErrorCode) return [];
      return [{ entry, code: result?.ErrorCode ?? 'MissingResult', message: result?.ErrorMessage ?? '' }];
    });
  }
}

function isRetryable(error: unknown): boolean {
  const candidate = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  } | null;
  if (!candidate) return false;
  const status = candidate.$metadata?.httpStatusCode;
  return (
    Boolean(candidate.$retryable) ||
    RETRYABLE_ERROR_NAMES.has(candidate.name ?? '') ||
    RETRYABLE_NETWORK_CODES.has(candidate.code ?? '') ||
    status === 429 ||
    (status !== undefined && status >= 500)
  );
}

function describeError(error: unknown): string {
  const candidate = error as { name?: string; message?: string } | null;
  return `${candidate?.name ?? 'Error'}: ${candidate?.message ?? String(error)}`;
}

function eventIdOf(entry: PutEventsRequestEntry): string {
  try {
    return (JSON.parse(entry.Detail ?? '{}') as { id?: string }).id ?? 'event';
  } catch {
    return 'event';
  }
}
