import { describe, expect, it } from '@jest/globals';
import { backoffDelay, minimumRetrySpanMs, scaledRetryPolicy, type RetryPolicy } from './backoff';

const MINUTES: RetryPolicy = { maxAttempts: 10, retryBackoff: { initialMs: 1_000, maxMs: 60_000 } };

describe('minimumRetrySpanMs', () => {
  it('adds the shortest wait equal jitter allows before each retry: half of each capped delay', () => {
    // 0.5 + 1 + 2 + 4 + 8 + 16 + 30 + 30 + 30 s
    expect(minimumRetrySpanMs(MINUTES)).toBe(121_500);
    expect(minimumRetrySpanMs({ maxAttempts: 1, retryBackoff: { initialMs: 1_000, maxMs: 60_000 } })).toBe(0);
  });

  it('is never more than the delays backoffDelay draws', () => {
    for (let run = 0; run < 50; run += 1) {
      let total = 0;
      for (let attempt = 1; attempt < MINUTES.maxAttempts; attempt += 1) total += backoffDelay(attempt, MINUTES.retryBackoff);
      expect(total).toBeGreaterThanOrEqual(minimumRetrySpanMs(MINUTES));
    }
  });
});

describe('scaledRetryPolicy', () => {
  it('keeps the attempts and divides every delay, and so the minimum retry span, by the factor', () => {
    const scaled = scaledRetryPolicy(MINUTES, 5);
    expect(scaled).toEqual({ maxAttempts: 10, retryBackoff: { initialMs: 200, maxMs: 12_000 } });
    expect(minimumRetrySpanMs(scaled)).toBe(minimumRetrySpanMs(MINUTES) / 5);
    expect(minimumRetrySpanMs(scaledRetryPolicy(MINUTES, 8))).toBe(15_187.5);
  });

  it('refuses a factor that is not a positive number', () => {
    for (const factor of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => scaledRetryPolicy(MINUTES, factor)).toThrow(new RangeError(`a retry policy is scaled by a positive factor, got ${factor}`));
    }
  });
});
