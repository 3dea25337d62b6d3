/**
 * Error codes are the stable contract between layers, processes and clients (docs/architecture.md §2).
 * Callers match on `code`, never on the class or the message: a code survives serialisation across
 * Lambda and HTTP boundaries where `instanceof` does not (the same habit as undici's `UND_ERR_*`).
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PRODUCT_UNAVAILABLE: 'PRODUCT_UNAVAILABLE',
  INVALID_ORDER_TRANSITION: 'INVALID_ORDER_TRANSITION',
  INSUFFICIENT_POINTS: 'INSUFFICIENT_POINTS',
  CATALOG_UNAVAILABLE: 'CATALOG_UNAVAILABLE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A dependency did not answer within the request's deadline (HTTP 503); the work was abandoned, not committed later. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /**
   * Apollo Server's own codes, kept as Apollo defines them because clients and tools match them (Apollo Client's
   * persisted-queries link, Sandbox, monitoring): the document does not parse, does not validate, names no operation
   * to run, the request is not a GraphQL request, or a hash was sent where persisted queries are not kept.
   */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  BAD_REQUEST: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** A per-customer cap (open orders, held units) would be passed; details name the cap, its maximum and the value. */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** The payment provider refused an operation on a payment (a capture failed, an authorization expired). */
  PAYMENT_FAILED: 'PAYMENT_FAILED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const knownCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/**
 * Base class of every expected failure. Its message is written for the person who sent the request:
 * it names the field and the value that were wrong, and never carries infrastructure details.
 */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;

  constructor(
    message: string,
    /** Machine-readable context for clients (field name, offending value...); must be safe to expose. */
    readonly details?: Readonly<Record<string, unknown>>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  constructor(
    readonly field: string,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(message, { field, ...details });
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = ErrorCode.UNAUTHENTICATED;
}

export class ForbiddenError extends AppError {
  readonly code = ErrorCode.FORBIDDEN;
}

export class NotFoundError extends AppError {
  readonly code = ErrorCode.NOT_FOUND;
}

export class ConflictError extends AppError {
  readonly code = ErrorCode.CONFLICT;
}

export class ProductUnavailableError extends AppError {
  readonly code = ErrorCode.PRODUCT_UNAVAILABLE;
}

export class InvalidOrderTransitionError extends AppError {
  readonly code = ErrorCode.INVALID_ORDER_TRANSITION;
}

export class InsufficientPointsError extends AppError {
  readonly code = ErrorCode.INSUFFICIENT_POINTS;
}

export class CatalogUnavailableError extends AppError {
  readonly code = ErrorCode.CATALOG_UNAVAILABLE;
}

export class QueryTooComplexError extends AppError {
  readonly code = ErrorCode.QUERY_TOO_COMPLEX;
}

/** The request ran out of time (its deadline passed, or its client went away) before a dependency answered. */
export class ServiceUnavailableError extends AppError {
  readonly code = ErrorCode.SERVICE_UNAVAILABLE;
}

/** Too many requests from one caller or address in the current window; `retryAfterSeconds` says when to come back. */
export class RateLimitedError extends AppError {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/** A persisted (trusted) document asked for by a hash the gateway does not know. */
export class PersistedQueryNotFoundError extends AppError {
  readonly code = ErrorCode.PERSISTED_QUERY_NOT_FOUND;
}

/** Apollo's persisted query protocol: this server keeps no persisted queries, so the client sends the text from now on. */
export class PersistedQueryNotSupportedError extends AppError {
  readonly code = ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED;
}

/** Not a GraphQL request: a body or field of the wrong shape, before any document is parsed (Apollo's BAD_REQUEST). */
export class BadRequestError extends AppError {
  readonly code = ErrorCode.BAD_REQUEST;
}

/** A per-customer cap would be passed (details: { limit, max, value }); nothing was held or written. */
export class LimitExceededError extends AppError {
  readonly code = ErrorCode.LIMIT_EXCEEDED;
}

/** The payment provider refused an operation (capture, void, refund); its message says why, without provider internals. */
export class PaymentFailedError extends AppError {
  readonly code = ErrorCode.PAYMENT_FAILED;
}

/** Describes a value for an error message without letting a huge or multi-line input flood it. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An aggregate changed between read and write (optimistic concurrency). Worth one retry against fresh state. */
export class ConcurrentModificationError extends ConflictError {}

/**
 * The typed error for a code that crossed a process boundary (an internal API's `{ error: { code, message,
 * details } }`), so the caller's use cases match it as if it had been thrown in process. Codes that describe the
 * edge (QUERY_TOO_COMPLEX, RATE_LIMITED, PERSISTED_QUERY_NOT_FOUND) and UNAUTHENTICATED / FORBIDDEN between
 * services are not the caller's client's fault: undefined, and the caller reports its dependency unavailable.
 */
export function errorFromCode(code: string, message: string, details?: Readonly<Record<string, unknown>>, defaultField = 'input'): AppError | undefined {
  switch (code) {
    case ErrorCode.BAD_USER_INPUT:
      return new ValidationError(typeof details?.['field'] === 'string' ? details['field'] : defaultField, message, details);
    case ErrorCode.NOT_FOUND:
      return new NotFoundError(message, details);
    case ErrorCode.CONFLICT:
      return new ConflictError(message, details);
    case ErrorCode.PRODUCT_UNAVAILABLE:
      return new ProductUnavailableError(message, details);
    case ErrorCode.INVALID_ORDER_TRANSITION:
      return new InvalidOrderTransitionError(message, details);
    case ErrorCode.INSUFFICIENT_POINTS:
      return new InsufficientPointsError(message, details);
    case ErrorCode.LIMIT_EXCEEDED:
      return new LimitExceededError(message, details);
    case ErrorCode.PAYMENT_FAILED:
      return new PaymentFailedError(message, details);
    default:
      return undefined;
  }
}
