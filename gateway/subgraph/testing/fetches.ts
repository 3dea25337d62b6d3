import type { SubgraphFetcher, SubgraphRequest, SubgraphResponse } from '../fetch-step';

/** A subgraph fetch as the data source builds it, with what a test changes. */
export function subgraphRequest(overrides: Partial<SubgraphRequest> = {}): SubgraphRequest {
  return {
    subgraph: 'catalog',
    url: 'http://127.0.0.1:4001/graphql',
    query: 'query Q__catalog__0 { products { edges { node { id } } } }',
    variables: {},
    operationName: undefined,
    caller: null,
    correlationId: 'corr-1',
    readOnly: true,
    deadline: undefined,
    ...overrides,
  };
}

/** A subgraph's answer as the HTTP end of the chain returns it. */
export function subgraphAnswer(overrides: Partial<SubgraphResponse> = {}): SubgraphResponse {
  return { status: 200, text: '{"data":{"ok":true}}', served: 'fetched', ...overrides };
}

/** The rest of a chain, answering `answer` and recording what reached it. */
export function recordingNext(answer: (request: SubgraphRequest) => SubgraphResponse | Promise<SubgraphResponse> = () => subgraphAnswer()): SubgraphFetcher & { readonly requests: SubgraphRequest[] } {
  const requests: SubgraphRequest[] = [];
  const next = async (request: SubgraphRequest) => {
    requests.push(request);
    return answer(request);
  };
  return Object.assign(next, { requests });
}
