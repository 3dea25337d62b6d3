import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_KEYS_PER_CALL = 100;
const MAX_ROUNDS = 8;

/**
 * BatchGetItem over any number of keys: 100 keys per call (the service limit) and UnprocessedKeys retried
 * with exponential backoff, as the DynamoDB developer guide requires for throttled partial results.
 */
export async function batchGetAll<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, string>[],
  options: { consistentRead?: boolean } = {},
): Promise<T[]> {
  const items: T[] = [];
  for (let start = 0; start < keys.length; start += MAX_KEYS_PER_CALL) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + MAX_KEYS_PER_CALL);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) {
        throw new Error(`BatchGetItem on ${tableName} left ${pending.length} keys unprocessed after ${MAX_ROUNDS} attempts`);
      }
      if (round > 0) await delay(Math.min(1000, 25 * 2 ** round) * (0.5 + Math.random() / 2));
      const result = await doc.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistentRead ?? false } },
        }),
      );
      items.push(...((result.Responses?.[tableName] ?? []) as T[]));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
