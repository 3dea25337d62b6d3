import type { ErrorCode } from '../ddd';

/** The one mapping from error codes to HTTP statuses, for the REST API and for GraphQL responses that need one. */
export const httpStatusOf: Readonly<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  QUERY_TOO_COMPLEX: 400,
  // Apollo Server's statuses for its own codes (internalErrorClasses): the persisted query answers are 200, so that
  // a client's persisted-queries link reads them as GraphQL errors and sends the document.
  PERSISTED_QUERY_NOT_FOUND: 200,
  PERSISTED_QUERY_NOT_SUPPORTED: 200,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  BAD_REQUEST: 400,
  RATE_LIMITED: 429,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_ORDER_TRANSITION: 409,
  PRODUCT_UNAVAILABLE: 409,
  INSUFFICIENT_POINTS: 409,
  LIMIT_EXCEEDED: 409,
  PAYMENT_FAILED: 402,
  CATALOG_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};
