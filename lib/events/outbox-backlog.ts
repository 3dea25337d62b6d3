import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readPartitions } from '../dynamodb';
import { OUTBOX_INDEX, PENDING_OUTBOX } from './outbox-record';

export interface OutboxBacklog {
  /** Rows not yet published (counted up to `maxPages` index pages; see `complete`). */
  readonly pending: number;
  /** Whether every pending row was counted. */
  readonly complete: boolean;
  /** Age of the oldest pending event (from its occurredAt), in seconds; 0 when none is pending. */
  readonly oldestAgeSeconds: number;
}

/**
 * How far a context's relay is behind: the pending rows of its outbox and the age of the oldest, read from every
 * partition of the sharded pending list of the sparse `outbox` index (its sort key starts with the event's
 * occurredAt, so each partition's first row is its oldest). The index is eventually consistent: a row published a
 * moment ago may still be counted. The relay's queries live in outbox-store.ts.
 */
export async function readOutboxBacklog(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { now?: Date; maxPages?: number } = {},
): Promise<OutboxBacklog> {
  const now = options.now ?? new Date();
  const maxPages = options.maxPages ?? 10;
  const partitions = await Promise.all(readPartitions(PENDING_OUTBOX).map((partition) => partitionBacklog(doc, tableName, partition, maxPages)));
  const oldest = partitions.map((partition) => partition.oldestSortKey).filter((key): key is string => key !== undefined).sort()[0];
  const occurredAt = oldest === undefined ? Number.NaN : Date.parse(oldest.slice(0, oldest.indexOf('#')));
  return {
    pending: partitions.reduce((sum, partition) => sum + partition.pending, 0),
    complete: partitions.every((partition) => partition.complete),
    oldestAgeSeconds: Number.isFinite(occurredAt) ? Math.max(0, (now.getTime() - occurredAt) / 1000) : 0,
  };
}

async function partitionBacklog(
  doc: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  maxPages: number,
): Promise<{ pending: number; complete: boolean; oldestSortKey: string | undefined }> {
  const key = {
    TableName: tableName,
    IndexName: OUTBOX_INDEX.name,
    KeyConditionExpression: '#p = :pending',
    ExpressionAttributeNames: { '#p': OUTBOX_INDEX.partitionKey },
    ExpressionAttributeValues: { ':pending': partition },
  };
  const oldest = await doc.send(new QueryCommand({ ...key, ScanIndexForward: true, Limit: 1 }));
  const sortKey = oldest.Items?.[0]?.[OUTBOX_INDEX.sortKey];
  if (typeof sortKey !== 'string') return { pending: 0, complete: true, oldestSortKey: undefined };
  let pending = 0;
  let startKey: Record<string, unknown> | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await doc.send(new QueryCommand({ ...key, Select: 'COUNT', ExclusiveStartKey: startKey }));
    pending += result.Count ?? 0;
    startKey = result.LastEvaluatedKey;
    if (!startKey) return { pending, complete: true, oldestSortKey: sortKey };
  }
  return { pending, complete: false, oldestSortKey: sortKey };
}
