export interface BackoffOptions {
  /** Delay before the second attempt. */
  readonly initialMs: number;
  /** Ceiling of any single delay. */
  readonly maxMs: number;
}

/**
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): half the
 * delay is fixed, half random, so retries of many consumers do not arrive in lockstep yet never come early.
 * `attempt` is the number of the attempt that just failed, starting at 1.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const exponential = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (Math.random() * exponential) / 2);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly retryBackoff: BackoffOptions;
}

/** A transport's attempts and backoff: its options over its defaults, with attempts checked once, here. */
export function retryPolicy(options: Partial<RetryPolicy>, defaults: RetryPolicy): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? defaults.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  const retryBackoff = options.retryBackoff ?? defaults.retryBackoff;
  assertBackoff(retryBackoff);
  return { maxAttempts, retryBackoff };
}

/** The whole time a policy waits between its first and its last attempt, at least (equal jitter never waits less than half). */
export function minimumRetrySpanMs(policy: RetryPolicy): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1) {
    total += Math.min(policy.retryBackoff.maxMs, policy.retryBackoff.initialMs * 2 ** (attempt - 1)) / 2;
  }
  return total;
}

/**
 * The same policy on a clock `factor` times faster: the same number of attempts, every delay divided by `factor`.
 * Against an outage of T / factor ms it retries exactly as the policy itself does against one of T ms (its
 * minimum retry span shrinks by the same factor), as long as an attempt's own work stays short next to the delays.
 * A test proves a policy made for minutes in seconds this way, and states the unscaled arithmetic separately.
 */
export function scaledRetryPolicy(policy: RetryPolicy, factor: number): RetryPolicy {
  if (!Number.isFinite(factor) || factor <= 0) throw new RangeError(`a retry policy is scaled by a positive factor, got ${factor}`);
  const { initialMs, maxMs } = policy.retryBackoff;
  return retryPolicy({}, { maxAttempts: policy.maxAttempts, retryBackoff: { initialMs: initialMs / factor, maxMs: maxMs / factor } });
}

function assertBackoff(backoff: BackoffOptions): void {
  const { initialMs, maxMs } = backoff;
  if (!Number.isFinite(initialMs) || initialMs < 0 || !Number.isFinite(maxMs) || maxMs < initialMs) {
    throw new RangeError(`retryBackoff needs 0 <= initialMs <= maxMs (finite milliseconds), got initialMs ${initialMs} and maxMs ${maxMs}`);
  }
}
