import { BatchWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, queryShards } from '../dynamodb';
import { backoffDelay, sleep } from './backoff';
import { OUTBOX_INDEX, PENDING_OUTBOX, isOutboxItem, outboxKey, type OutboxItem } from './outbox-record';

/** An outbox row not yet published: its event id and the envelope exactly as committed (JSON text). */
export interface PendingOutboxRow {
  readonly eventId: string;
  readonly event: string;
}

/**
 * One page of pending rows committed before `before` (an ISO timestamp) and after the `after` position (the last
 * row of the previous page), oldest first across every shard of the pending list, legacy unsharded rows included
 * (the sparse `outbox` index: its sort key starts with the event's occurredAt). `nextAfter` is set when the page
 * is full. The index is eventually consistent: a row deleted a moment ago may still be listed, and is then
 * published twice (consumers are idempotent).
 */
export async function queryPendingOutbox(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { before: string; limit: number; after?: string | undefined },
): Promise<{ rows: PendingOutboxRow[]; nextAfter: string | undefined }> {
  const items = await pendingOutboxItems(doc, tableName, options);
  const rows = items.map((item) => ({ eventId: item.pk.slice('OUTBOX#'.length), event: item.event }));
  return { rows, nextAfter: items.length === options.limit ? items.at(-1)?.outboxSk : undefined };
}

/** An outbox row as stored, with whatever other attributes it carries. */
export type StoredOutboxItem = Record<string, unknown> & OutboxItem;

/** The raw pending rows of a page (what queryPendingOutbox reads), oldest first. */
export async function pendingOutboxItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { before: string; limit: number; after?: string | undefined },
): Promise<StoredOutboxItem[]> {
  const merged = await queryShards<Record<string, unknown>>(doc, {
    tableName,
    index: OUTBOX_INDEX,
    list: PENDING_OUTBOX,
    newestFirst: false,
    limit: options.limit,
    bound: options.after,
    until: options.before,
  });
  return merged.slice(0, options.limit).filter(isOutboxItem);
}

/** Every pending row of a table, oldest first (tests and operators; the sweep pages instead). */
export async function allPendingOutboxItems(doc: DynamoDBDocumentClient, tableName: string): Promise<StoredOutboxItem[]> {
  const all: StoredOutboxItem[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await pendingOutboxItems(doc, tableName, { before: '\uffff', limit: 100, after });
    all.push(...page);
    if (page.length < 100) return all;
    after = page.at(-1)!.outboxSk;
  }
}

const MAX_WRITES_PER_CALL = 25;
const MAX_ROUNDS = 8;

/**
 * Deletes published rows: "marks them published" (docs/architecture.md §4), leaving nothing for the sweep. BatchWriteItem
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
