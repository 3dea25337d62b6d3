import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OUTBOX_INDEX, OUTBOX_PENDING_PARTITION } from './outbox-record';

export interface OutboxBacklog {
  /** Rows not yet published (counted up to `maxPages` index pages; see `complete`). */
  readonly pending: number;
  /** Whether every pending row was counted. */
  readonly complete: boolean;
  /** Age of the oldest pending event (from its occurredAt), in seconds; 0 when none is pending. */
  readonly oldestAgeSeconds: number;
}

/**
 * How far a context's relay is behind: the pending rows of its outbox and the age of the oldest, read from the
 * sparse `outbox` index (its sort key starts with the event's occurredAt, so the oldest is the first). The index
 * is eventually consistent: a row published a moment ago may still be counted. This is the one place that knows
 * how pending rows are laid out in the index; the relay's queries live in outbox-store.ts.
 */
export async function readOutboxBacklog(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { now?: Date; maxPages?: number } = {},
): Promise<OutboxBacklog> {
  const now = options.now ?? new Date();
  const maxPages = options.maxPages ?? 10;
  const key = {
    TableName: tableName,
    IndexName: OUTBOX_INDEX.name,
    KeyConditionExpression: '#p = :pending',
    ExpressionAttributeNames: { '#p': OUTBOX_INDEX.partitionKey },
    ExpressionAttributeValues: { ':pending': OUTBOX_PENDING_PARTITION },
  };
  const oldest = await doc.send(new QueryCommand({ ...key, ScanIndexForward: true, Limit: 1 }));
  const sortKey = oldest.Items?.[0]?.[OUTBOX_INDEX.sortKey];
  if (typeof sortKey !== 'string') return { pending: 0, complete: true, oldestAgeSeconds: 0 };
  const occurredAt = Date.parse(sortKey.slice(0, sortKey.indexOf('#')));
  const oldestAgeSeconds = Number.isFinite(occurredAt) ? Math.max(0, (now.getTime() - occurredAt) / 1000) : 0;

  let pending = 0;
  let startKey: Record<string, unknown> | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await doc.send(new QueryCommand({ ...key, Select: 'COUNT', ExclusiveStartKey: startKey }));
    pending += result.Count ?? 0;
    startKey = result.LastEvaluatedKey;
    if (!startKey) return { pending, complete: true, oldestAgeSeconds };
  }
  return { pending, complete: false, oldestAgeSeconds };
}
