import { BatchWriteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../dynamodb';
import { backoffDelay, sleep } from './backoff';
import { OUTBOX_INDEX, OUTBOX_PENDING_PARTITION, isOutboxItem, outboxKey } from './outbox-record';

/** An outbox row not yet published: its event id and the envelope exactly as committed (JSON text). */
export interface PendingOutboxRow {
  readonly eventId: string;
  readonly event: string;
}

export type OutboxPageKey = Record<string, unknown>;

/**
 * One page of pending rows committed before `before` (an ISO timestamp), oldest first, through the sparse
 * `outbox` index (its sort key starts with the event's occurredAt). The index is eventually consistent: a row
 * deleted a moment ago may still be listed, and is then published twice (consumers are idempotent).
 */
export async function queryPendingOutbox(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { before: string; limit: number; startKey?: OutboxPageKey | undefined },
): Promise<{ rows: PendingOutboxRow[]; nextKey: OutboxPageKey | undefined }> {
  const result = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: OUTBOX_INDEX.name,
      KeyConditionExpression: '#p = :pending AND #s < :before',
      ExpressionAttributeNames: { '#p': OUTBOX_INDEX.partitionKey, '#s': OUTBOX_INDEX.sortKey },
      ExpressionAttributeValues: { ':pending': OUTBOX_PENDING_PARTITION, ':before': options.before },
      ScanIndexForward: true,
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  const rows = (result.Items ?? []).filter(isOutboxItem).map((item) => ({ eventId: item.pk.slice('OUTBOX#'.length), event: item.event }));
  return { rows, nextKey: result.LastEvaluatedKey };
}

const MAX_WRITES_PER_CALL = 25;
const MAX_ROUNDS = 8;

/**
 * Deletes published rows: "marks them published" (DESIGN.md 4), leaving nothing for the sweep. BatchWriteItem
 * takes 25 writes per call; UnprocessedItems are retried with backoff, as the DynamoDB developer guide requires.
 */
export async function deleteOutboxRows(doc: DynamoDBDocumentClient, tableName: string, eventIds: readonly string[]): Promise<void> {
  for (let start = 0; start < eventIds.length; start += MAX_WRITES_PER_CALL) {
    let pending: Record<string, unknown>[] = eventIds
      .slice(start, start + MAX_WRITES_PER_CALL)
      .map((id) => ({ DeleteRequest: { Key: outboxKey(id) } }));
    for (let round = 1; pending.length > 0; round += 1) {
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
      if (pending.length === 0) break;
      if (round >= MAX_ROUNDS) {
        throw new Error(`BatchWriteItem on ${tableName} left ${pending.length} outbox rows undeleted after ${MAX_ROUNDS} attempts`);
      }
      await sleep(backoffDelay(round, { initialMs: 50, maxMs: 1000 }));
    }
  }
}

/**
 * Takes a row whose event can never be published (it no longer matches its schema) out of the pending index,
 * keeping it with the problem for an operator: left pending it would fail every sweep, oldest first, forever.
 */
export async function parkOutboxRow(doc: DynamoDBDocumentClient, tableName: string, eventId: string, problem: string): Promise<void> {
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: outboxKey(eventId),
        UpdateExpression: 'REMOVE #p, #s SET outboxProblem = :problem, outboxParkedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#p': OUTBOX_INDEX.partitionKey, '#s': OUTBOX_INDEX.sortKey },
        ExpressionAttributeValues: { ':problem': problem.slice(0, 2000), ':now': new Date().toISOString() },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
