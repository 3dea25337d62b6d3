import { ConcurrentModificationError } from './errors';

/**
 * Runs a read-modify-write and, when it loses an optimistic-concurrency race, runs it again against the fresh
 * state. Each attempt re-applies the business rules, so a change that the winner made invalid fails with its
 * own domain error (INVALID_ORDER_TRANSITION, INSUFFICIENT_POINTS...), and only a change still contended after
 * every retry fails with CONFLICT. The default is one retry (docs/architecture.md §8: a lost race is retried once); hot
 * aggregates such as a points balance pass more retries and a jittered backoff.
 */
export async function withOptimisticRetry<T>(
  attempt: () => Promise<T>,
  options: { retries?: number; backoffMs?: number } = {},
): Promise<T> {
  const retries = options.retries ?? 1;
  for (let failures = 0; ; failures += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || failures >= retries) throw error;
      if (options.backoffMs) {
        const ms = Math.random() * options.backoffMs * Math.min(2 ** failures, 8);
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
    }
  }
}
