import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError, ErrorCode, isErrorCode } from '../ddd';
import { httpStatusOf } from '../http/status';
import type { Logger } from '../logging';
import { currentCorrelationId, currentDeadline } from '../logging';

/**
 * The single mapping from thrown errors to GraphQL `extensions.code` (docs/architecture.md §2):
 * - an AppError keeps its code and human message (plus safe details),
 * - GraphQL errors that already carry a contract code pass through: subgraph errors seen by the gateway, and
 *   Apollo Server's own request codes (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST,
 *   OPERATION_RESOLUTION_FAILURE, PERSISTED_QUERY_*), which are part of the contract as Apollo defines them,
 * - anything else is masked as INTERNAL_SERVER_ERROR and logged with the correlation id; the client sees
 *   neither the message nor the stack (they may hold table names, hostnames or SDK text).
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    const expected = appErrorIn(original);
    if (expected) {
      return { ...base, message: expected.message, extensions: { code: expected.code, ...(expected.details ? { details: expected.details } : {}) } };
    }
    const code = formatted.extensions?.['code'];
    if (isErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _omitted, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (code === ErrorCode.INTERNAL_SERVER_ERROR && formatted.extensions?.['masked'] === true) {
      // Already masked by the subgraph that produced it; keep its correlation id.
      return formatted;
    }
    // Past the request's deadline, a failure is its consequence (an aborted fetch, a cut socket), not a bug.
    const late = currentDeadline()?.reason;
    if (late) return { ...base, message: late.message, extensions: { code: late.code } };
    const correlationId = currentCorrelationId();
    logger.error({ err: original, graphqlPath: formatted.path }, 'unexpected error while resolving a GraphQL request');
    return {
      ...base,
      message: `Internal server error${correlationId ? ` (correlation id ${correlationId})` : ''}`,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, masked: true, ...(correlationId ? { correlationId } : {}) },
    };
  };
}

/** The AppError behind an error: itself, or a cause (the SDK's AbortError carries the deadline's reason as its cause). */
function appErrorIn(error: unknown): AppError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    if (current instanceof AppError) return current;
  }
  return undefined;
}

/** A GraphQLError for errors raised outside resolvers (context creation, plugins) where Apollo wants one. */
export function toGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, http: { status: httpStatusOf[error.code] }, ...(error.details ? { details: error.details } : {}) },
  });
}
