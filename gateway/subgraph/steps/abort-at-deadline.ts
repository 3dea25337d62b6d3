import { ServiceUnavailableError } from '../../../lib/ddd';
import { toGraphQLError } from '../../../lib/graphql';
import type { FetchStep } from '../fetch-step';

/**
 * A fetch is aborted when the client request's deadline passes or its client leaves, so a subgraph stops work
 * nobody waits for (unless a step chose another signal: a shared fetch has its own budget). An aborted fetch is
 * SERVICE_UNAVAILABLE for the client, with the deadline's reason, never a masked internal error.
 */
export function abortAtDeadline(): FetchStep {
  return (next) => async (request) => {
    const signal = request.signal ?? request.deadline?.signal;
    try {
      return await next(signal === request.signal ? request : { ...request, signal });
    } catch (error) {
      if (request.deadline?.reason) throw toGraphQLError(request.deadline.reason);
      if (signal?.aborted) throw toGraphQLError(new ServiceUnavailableError('a subgraph did not answer within the request timeout; a dependency is slow or unavailable, try again'));
      throw error;
    }
  };
}
