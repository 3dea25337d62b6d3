/**
 * Failure codes of the HTTP client, stable like undici's `UND_ERR_*`: they travel in the `x-origin-failure`
 * header of the 503 the client answers with when the origin could not be reached (failure-response.ts).
 */
export const HttpClientFailure = {
  /** The whole origin exchange, retries included, did not finish within its deadline. */
  DEADLINE_EXCEEDED: 'HTTP_CLIENT_DEADLINE_EXCEEDED',
  /** The circuit breaker is open: the origin was not called at all. */
  CIRCUIT_OPEN: 'HTTP_CLIENT_CIRCUIT_OPEN',
} as const;

export class DeadlineExceededError extends Error {
  readonly code = HttpClientFailure.DEADLINE_EXCEEDED;
  constructor(readonly timeoutMs: number) {
    super(`the origin did not answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceededError';
  }
}

export class CircuitOpenError extends Error {
  readonly code = HttpClientFailure.CIRCUIT_OPEN;
  constructor() {
    super('the circuit breaker is open: the origin failed repeatedly and is not called until the half-open probe');
    this.name = 'CircuitOpenError';
  }
}

/** The code of a failure as undici and Node report it (UND_ERR_SOCKET, ECONNREFUSED...), or the error's name. */
export function failureCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined && cause !== error) {
      const inner = failureCodeOf(cause);
      if (inner !== 'Error') return inner;
    }
    if (error instanceof Error) return error.name;
  }
  return 'Error';
}
