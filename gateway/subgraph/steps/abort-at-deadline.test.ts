import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { RequestDeadline } from '../../../lib/logging';
import { recordingNext, subgraphRequest } from '../testing/fetches';
import { abortAtDeadline } from './abort-at-deadline';

describe('abortAtDeadline', () => {
  it("aborts the fetch with the request's deadline, unless a signal was chosen already", async () => {
    const deadline = new RequestDeadline(10_000);
    const next = recordingNext();
    await abortAtDeadline()(next)(subgraphRequest({ deadline }));
    expect(next.requests[0]!.signal).toBe(deadline.signal);
    const own = new AbortController().signal;
    await abortAtDeadline()(next)(subgraphRequest({ deadline, signal: own }));
    expect(next.requests[1]!.signal).toBe(own);
    deadline.dispose();
  });

  it('answers a fetch cut by the deadline, or by its own budget, with SERVICE_UNAVAILABLE', async () => {
    const deadline = new RequestDeadline(10_000);
    deadline.abandon('the client closed the connection before the response was sent');
    const failing = recordingNext(() => Promise.reject(new Error('This operation was aborted')));
    const cut = await abortAtDeadline()(failing)(subgraphRequest({ deadline })).catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(GraphQLError);
    expect((cut as GraphQLError).extensions['code']).toBe('SERVICE_UNAVAILABLE');
    expect((cut as GraphQLError).message).toBe('the request was abandoned: the client closed the connection before the response was sent');

    const budget = new AbortController();
    budget.abort();
    const timedOut = await abortAtDeadline()(failing)(subgraphRequest({ signal: budget.signal })).catch((error: unknown) => error);
    expect((timedOut as GraphQLError).extensions['code']).toBe('SERVICE_UNAVAILABLE');
  });

  it('passes on any other failure as it is', async () => {
    const refused = new Error('connect ECONNREFUSED');
    await expect(abortAtDeadline()(recordingNext(() => Promise.reject(refused)))(subgraphRequest())).rejects.toBe(refused);
  });
});
