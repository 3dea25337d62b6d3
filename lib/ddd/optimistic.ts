import { ConcurrentModificationError } from './errors';

/**
 * Runs a read-modify-write and, when it loses an optimistic-concurrency race, runs it once more against the
 * fresh state: the second attempt re-applies the business rules, so a now-invalid change fails with its own
 * domain error (e.g. INVALID_ORDER_TRANSITION) and a still-contended one with CONFLICT.
 */
export async function withOptimisticRetry<T>(attempt: () => Promise<T>, retries = 1): Promise<T> {
  for (let remaining = retries; ; remaining -= 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || remaining <= 0) throw error;
    }
  }
}
