import { transactionCancellationCodes } from '../dynamodb';

/** Attribute holding the epoch second after which DynamoDB TTL may delete a "processed" row. */
export const PROCESSED_TTL_ATTRIBUTE = 'expiresAt';

export const DEFAULT_PROCESSED_TTL_DAYS = 30;

export function processedKey(consumer: string, eventId: string): { pk: string; sk: string } {
  return { pk: `PROCESSED#${consumer}#${eventId}`, sk: 'PROCESSED' };
}

export interface ProcessedEventPut {
  readonly Put: {
    readonly TableName: string;
    readonly Item: Record<string, unknown>;
    readonly ConditionExpression: string;
  };
}

/**
 * The "processed" record of an event, to add to the consumer's own TransactWriteItems (docs/architecture.md §4: "its
 * 'processed' record is written in the same transaction as its effect"). Its condition makes a redelivered
 * event cancel the whole transaction, so the effect happens at most once; see wasAlreadyProcessed.
 *
 * The record only has to outlive redeliveries (Redis reclaims, EventBridge retries for up to 24 hours, outbox
 * sweeps), hence a TTL; the table's definition needs `timeToLiveAttribute: PROCESSED_TTL_ATTRIBUTE`.
 */
export function processedEventPut(
  tableName: string,
  consumer: string,
  eventId: string,
  ttlDays: number = DEFAULT_PROCESSED_TTL_DAYS,
  now: Date = new Date(),
): ProcessedEventPut {
  if (!consumer || !eventId) {
    throw new TypeError(`a processed record needs a consumer and an event id, got ${JSON.stringify({ consumer, eventId })}`);
  }
  if (!(ttlDays > 0)) throw new RangeError(`ttlDays must be positive, got ${ttlDays}`);
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...processedKey(consumer, eventId),
        consumer,
        eventId,
        processedAt: now.toISOString(),
        [PROCESSED_TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + Math.round(ttlDays * 86_400),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Whether a failed TransactWriteItems failed because the processed record at `index` (its position in
 * TransactItems) already exists: the event was handled before, and the handler should return successfully
 * without effect. Any other failure (another condition, a conflict, a network error) is false.
 */
export function wasAlreadyProcessed(error: unknown, index: number): boolean {
  return transactionCancellationCodes(error)?.[index] === 'ConditionalCheckFailed';
}
