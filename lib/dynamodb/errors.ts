/**
 * Recognisers for DynamoDB's conditional failures, so repositories can turn them into domain errors
 * (the aws-powertools idempotency habit) instead of leaking SDK exceptions upwards.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/**
 * For a cancelled TransactWriteItems, the cancellation code of each item in request order
 * (`ConditionalCheckFailed`, `None`, `TransactionConflict`...), or undefined for any other error.
 */
export function transactionCancellationCodes(error: unknown): string[] | undefined {
  const candidate = error as { name?: string; CancellationReasons?: { Code?: string }[] } | null;
  if (candidate?.name !== 'TransactionCanceledException') return undefined;
  return (candidate.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/** A transaction lost to a concurrent one (not a failed condition): safe to retry against fresh state. */
export function isTransactionConflict(error: unknown): boolean {
  const codes = transactionCancellationCodes(error);
  return codes !== undefined && codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}
