import { isOutboxItem } from './outbox-record';
import { envelopesFromOutboxRows, publishOutboxEvents, type OutboxTarget } from './outbox-relay';

/** An attribute value in DynamoDB JSON, as stream records carry them; outbox rows have only strings (`S`). */
export type StreamAttributeValue = { readonly S?: string } & Readonly<Record<string, unknown>>;

/** The part of a DynamoDB Streams record the relay reads (the `Records[]` of the Lambda event). */
export interface OutboxStreamRecord {
  readonly eventName?: string;
  readonly dynamodb?: { readonly NewImage?: Readonly<Record<string, StreamAttributeValue>> };
}

/**
 * The relay in AWS: a Lambda on the table's stream (NEW_IMAGE) passes its records here. Only INSERTs of outbox
 * rows matter (their deletion after publishing is itself a REMOVE record); they go through the same
 * publish-then-delete step as the in-process relay. Rejects when publishing fails, so Lambda retries the batch.
 */
export async function relayStreamRecords(
  target: OutboxTarget,
  records: readonly OutboxStreamRecord[],
): Promise<{ published: number; ignored: number }> {
  const rows = records.flatMap((record) => {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return [];
    const item = stringAttributes(record.dynamodb.NewImage);
    return isOutboxItem(item) ? [{ eventId: item.pk.slice('OUTBOX#'.length), event: item.event }] : [];
  });
  const envelopes = await envelopesFromOutboxRows(target, rows);
  await publishOutboxEvents(target, envelopes);
  return { published: envelopes.length, ignored: records.length - rows.length };
}

function stringAttributes(image: Readonly<Record<string, StreamAttributeValue>>): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(image)) {
    if (typeof value?.S === 'string') item[name] = value.S;
  }
  return item;
}
