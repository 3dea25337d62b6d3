import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { AnyEventEnvelope } from './envelope';

/** docs/architecture.md §4: on EventBridge, `Source` = `ecommerce.<context>`. */
export const EVENTBRIDGE_SOURCE_PREFIX = 'ecommerce.';

/** PutEvents limits (EventBridge quotas): 10 entries per call, 256 KB for all entries of a call together. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

export function eventBridgeSource(source: string): string {
  return `${EVENTBRIDGE_SOURCE_PREFIX}${source}`;
}

/**
 * `Source` = ecommerce.<context>, `DetailType` = the event type, `Detail` = the whole envelope (docs/architecture.md §4), as
 * the JSON text given (the signed envelope: lib/events/event-signature.ts).
 */
export function putEventsEntry(envelope: AnyEventEnvelope, eventBusName: string, detail: string = JSON.stringify(envelope)): PutEventsRequestEntry {
  return {
    Source: eventBridgeSource(envelope.source),
    DetailType: envelope.type,
    Detail: detail,
    EventBusName: eventBusName,
    // The event's own time, so rules, archives and replays see when it happened rather than when it was relayed.
    Time: new Date(envelope.occurredAt),
  };
}

/**
 * An entry's size as EventBridge counts it ("Calculating PutEvents event entry size", EventBridge user guide):
 * 14 bytes for Time when present, plus the UTF-8 bytes of Source, DetailType, Detail and each Resource.
 */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text) size += Buffer.byteLength(text, 'utf8');
  }
  return size;
}

/**
 * Splits entries into PutEvents calls in order, each within both limits. Every entry must fit a call on its
 * own (check with putEventsEntrySize first).
 */
export function putEventsBatches<T extends PutEventsRequestEntry>(
  entries: readonly T[],
  limits: { maxEntries: number; maxBytes: number } = { maxEntries: PUT_EVENTS_MAX_ENTRIES, maxBytes: PUT_EVENTS_MAX_BYTES },
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    const size = putEventsEntrySize(entry);
    if (current.length > 0 && (current.length >= limits.maxEntries || currentBytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
