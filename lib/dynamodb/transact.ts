import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { transactionCancellationCodes } from './errors';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * TransactWriteItems that retries transactions cancelled only by TransactionConflict: concurrent transactions
 * on the same item can all be cancelled without any of them having won, so the same write is tried again
 * after a jittered backoff. A failed condition is a real answer and is thrown at once for the caller to map.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  maxRetries = 6,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const codes = transactionCancellationCodes(error);
      const onlyConflicts = codes !== undefined && codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
      if (!onlyConflicts || attempt >= maxRetries) throw error;
      await delay(Math.random() * 10 * 2 ** attempt);
    }
  }
}
