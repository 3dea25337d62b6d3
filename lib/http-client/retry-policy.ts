import type { Dispatcher } from 'undici';
import { retryInterceptor } from './undici-parts';

export interface RetryPolicyOptions {
  /** Total attempts, the first included. Default 3. */
  readonly attempts?: number;
  /** Backoff ceiling before the first retry; it doubles per retry. Default 100 ms. */
  readonly baseDelayMs?: number;
  /** Upper bound of any pause, a Retry-After included. Default 1000 ms. */
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
}

/** RFC 9110 15.5.30 / 15.6: answers worth asking again, the server may do better a moment later. */
export const RETRYABLE_STATUS_CODES: readonly number[] = [429, 500, 502, 503, 504];

/** Transport failures of an idempotent request that a fresh connection may not hit again. */
export const RETRYABLE_ERROR_CODES: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];

/**
 * Pause before retry number `retry` (1-based): exponential with "equal jitter" (half fixed, half random), so
 * clients that failed together spread out yet never hammer the origin back-to-back (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"). A server's Retry-After wins when given, capped at `maxDelayMs`.
 */
export function retryDelayMs(retry: number, options: RetryPolicyOptions = {}, retryAfterMs?: number): number {
  const base = options.baseDelayMs ?? 100;
  const max = options.maxDelayMs ?? 1000;
  if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.min(retryAfterMs, max);
  const ceiling = Math.min(max, base * 2 ** Math.max(0, retry - 1));
  return ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2);
}

/**
 * undici's retry interceptor, for GET only: RFC 9110 9.2.2 lets a client repeat an idempotent request, and
 * this client never repeats anything else (placing an order must not happen twice). Network errors, 5xx and
 * 429 are retried, `attempts` in all. undici's default backoff has no jitter and retries most methods, hence
 * our own `retry` callback.
 */
export function getOnlyRetry(options: RetryPolicyOptions = {}): Dispatcher.DispatcherComposeInterceptor {
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  const maxRetries = attempts - 1;
  return retryInterceptor({
    // The final 5xx is handed on as a response, so the cache above can apply stale-if-error to it.
    throwOnError: false,
    maxRetries,
    methods: ['GET'],
    statusCodes: [...RETRYABLE_STATUS_CODES],
    errorCodes: [...RETRYABLE_ERROR_CODES],
    retry(error, { state, opts }, callback) {
      const { statusCode, code, retryAfterMs } = describeFailure(error);
      const retryable =
        opts.method === 'GET' &&
        state.counter <= maxRetries &&
        (statusCode !== undefined ? RETRYABLE_STATUS_CODES.includes(statusCode) : code !== undefined && RETRYABLE_ERROR_CODES.includes(code));
      if (!retryable) {
        callback(error);
        return;
      }
      setTimeout(() => callback(null), retryDelayMs(state.counter, options, retryAfterMs));
    },
  });
}

interface FailureFacts {
  readonly statusCode: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
}

/** undici hands the callback a RequestRetryError (statusCode, headers) for a response, the raw error otherwise. */
function describeFailure(error: Error): FailureFacts {
  const facts = error as Error & { statusCode?: unknown; code?: unknown; headers?: unknown };
  const statusCode = typeof facts.statusCode === 'number' ? facts.statusCode : undefined;
  const code = typeof facts.code === 'string' ? facts.code : undefined;
  let retryAfterMs: number | undefined;
  if (statusCode !== undefined && typeof facts.headers === 'object' && facts.headers !== null) {
    const raw = (facts.headers as Record<string, unknown>)['retry-after'];
    retryAfterMs = typeof raw === 'string' ? parseRetryAfter(raw) : undefined;
  }
  return { statusCode, code, retryAfterMs };
}

/** RFC 9110 10.2.3: delay-seconds or an HTTP-date. */
function parseRetryAfter(value: string): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
