import { describe, expect, it } from '@jest/globals';
import { bodyOf, composeFetchSteps, type FetchStep } from './fetch-step';
import { recordingNext, subgraphRequest } from './testing/fetches';

describe('composeFetchSteps', () => {
  it('wraps the terminal in the steps, the first outermost, each seeing the request on the way down and the answer on the way up', async () => {
    const trace: string[] = [];
    const step =
      (name: string): FetchStep =>
      (next) =>
      async (request) => {
        trace.push(`${name} down`);
        const response = await next(request);
        trace.push(`${name} up`);
        return response;
      };
    const terminal = recordingNext();
    await composeFetchSteps([step('a'), step('b')], terminal)(subgraphRequest());
    expect(trace).toEqual(['a down', 'b down', 'b up', 'a up']);
    expect(terminal.requests).toHaveLength(1);
  });

  it('serialises a request once: a body a step set is the body sent', () => {
    const request = subgraphRequest({ query: '{ a }', variables: { x: 1 }, operationName: 'Op' });
    expect(bodyOf(request)).toBe('{"query":"{ a }","variables":{"x":1},"operationName":"Op"}');
    expect(bodyOf({ ...request, body: 'as signed' })).toBe('as signed');
  });
});
