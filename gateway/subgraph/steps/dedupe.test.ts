import { describe, expect, it } from '@jest/globals';
import { type GraphQLError } from 'graphql';
import { RequestDeadline } from '../../../lib/logging';
import type { SubgraphResponse } from '../fetch-step';
import { recordingNext, subgraphAnswer, subgraphRequest } from '../testing/fetches';
import { dedupe } from './dedupe';

/** An answer held until released, so fetches overlap. */
function held(): { next: ReturnType<typeof recordingNext>; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { next: recordingNext(async () => (await gate, subgraphAnswer())), release: () => release() };
}

describe('dedupe', () => {
  it('sends identical read-only fetches of one caller once, each consumer with its own response object', async () => {
    const { next, release } = held();
    const fetch = dedupe(10_000)(next);
    const caller = { sub: 'customer-1', roles: [] };
    const all = Promise.all([1, 2, 3].map(() => fetch(subgraphRequest({ caller }))));
    release();
    const responses: SubgraphResponse[] = await all;
    expect(next.requests).toHaveLength(1);
    expect(responses.map((response) => response.served).sort()).toEqual(['deduped', 'deduped', 'fetched']);
    expect(new Set(responses).size).toBe(3);
    // The shared fetch has its own budget, not any one request's deadline.
    expect(next.requests[0]!.deadline).toBeUndefined();
    expect(next.requests[0]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('never shares between callers (sub or roles), nor a write', async () => {
    const { next, release } = held();
    const fetch = dedupe(10_000)(next);
    const all = Promise.all([
      fetch(subgraphRequest({ caller: { sub: 'a', roles: [] } })),
      fetch(subgraphRequest({ caller: { sub: 'a', roles: ['admin'] } })),
      fetch(subgraphRequest({ caller: { sub: 'b', roles: [] } })),
      fetch(subgraphRequest({ caller: null })),
      fetch(subgraphRequest({ caller: { sub: 'a', roles: [] }, readOnly: false })),
      fetch(subgraphRequest({ caller: { sub: 'a', roles: [] }, readOnly: false })),
    ]);
    release();
    await all;
    expect(next.requests).toHaveLength(6);
  });

  it('never lets a fresh read join one in flight (it may have read before the fresh request began)', async () => {
    const { next, release } = held();
    const fetch = dedupe(10_000)(next);
    const caller = { sub: 'customer-1', roles: [] };
    const early = fetch(subgraphRequest({ caller }));
    const fresh = fetch(subgraphRequest({ caller, fresh: true }));
    const later = fetch(subgraphRequest({ caller }));
    release();
    expect([(await early).served, (await fresh).served, (await later).served]).toEqual(['fetched', 'fetched', 'deduped']);
    expect(next.requests).toHaveLength(2);
  });

  it('lets a request stop waiting at its own deadline while the shared fetch goes on for the others', async () => {
    const { next, release } = held();
    const fetch = dedupe(10_000)(next);
    const patient = fetch(subgraphRequest());
    const deadline = new RequestDeadline(10_000);
    const hasty = fetch(subgraphRequest({ deadline }));
    deadline.abandon('the client closed the connection before the response was sent');
    const error = await hasty.catch((failure: unknown) => failure);
    expect((error as GraphQLError).extensions['code']).toBe('SERVICE_UNAVAILABLE');
    release();
    expect((await patient).served).toBe('fetched');
    expect(next.requests).toHaveLength(1);
  });
});
