import { toGraphQLError } from '../../../lib/graphql';
import type { RequestDeadline } from '../../../lib/logging';
import type { Caller } from '../../../lib/auth';
import type { FetchStep, SubgraphResponse } from '../fetch-step';
import { Inflight } from '../inflight';

/**
 * Identical read-only fetches of the same caller in flight at once go to the subgraph once (never a fresh one). The key is the subgraph,
 * document, variables, operation name and the caller's identity (sub and roles), never the per-request signature.
 * A shared fetch is aborted by no one request's deadline, since the others still wait for it: it has its own budget
 * (`sharedTimeoutMs`, REQUEST_TIMEOUT_MS), and each request stops waiting at its own deadline. Every consumer gets its
 * own response object to parse (the executor merges into what it receives).
 */
export function dedupe(sharedTimeoutMs: number): FetchStep {
  const inflight = new Inflight<SubgraphResponse>();
  return (next) => async (request) => {
    // A fresh read must begin after its request did: one already in flight may have read before that.
    if (!request.readOnly || request.fresh) return next(request);
    const key = `${request.query}\n${JSON.stringify(request.variables)}\n${request.operationName ?? ''}\n${callerKey(request.caller)}`;
    const { promise, shared } = inflight.run(key, () => next({ ...request, deadline: undefined, signal: AbortSignal.timeout(sharedTimeoutMs) }));
    const response = await untilDeadline(promise, request.deadline);
    return { ...response, body: undefined, served: shared ? 'deduped' : response.served };
  };
}

/** The identity a dedupe key names: who the subgraph will believe is calling. */
function callerKey(caller: Caller): string {
  return caller === null ? 'anonymous' : JSON.stringify([caller.sub, caller.roles]);
}

/**
 * The request's own deadline over a fetch it shares with others: it stops waiting when its deadline passes (or its
 * client leaves), answering SERVICE_UNAVAILABLE, while the fetch goes on for the others.
 */
function untilDeadline<T>(promise: Promise<T>, deadline: RequestDeadline | undefined): Promise<T> {
  if (!deadline) return promise;
  const signal = deadline.signal;
  if (signal.aborted) return Promise.reject(toGraphQLError(deadline.reason!));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(toGraphQLError(deadline.reason!));
    signal.addEventListener('abort', stop, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
