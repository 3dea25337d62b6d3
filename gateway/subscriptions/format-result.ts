import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Applies the gateway's one error mapping to results sent outside Apollo Server's HTTP pipeline (WebSocket,
 * multipart). Results that came back from Apollo Server are already formatted and pass through unchanged.
 */
export function formatResult(result: ExecutionResult | FormattedExecutionResult, formatError: ErrorFormatter): FormattedExecutionResult {
  return {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors?.length ? { errors: formatErrors(result.errors, formatError) } : {}),
  };
}

export function formatErrors(errors: readonly (GraphQLError | GraphQLFormattedError)[], formatError: ErrorFormatter): GraphQLFormattedError[] {
  return errors.map((error) => (error instanceof GraphQLError ? formatError(error.toJSON(), error) : error));
}
