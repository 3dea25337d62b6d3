import type { GraphQLBody, SubgraphResponse } from './fetch-step';

/**
 * The GraphQL body of a subgraph's answer, parsed once per consumer and kept on its response object. Subgraphs
 * answer GraphQL errors with 200, and request errors (bad variables) with 400 and a GraphQL body: both are passed on
 * as GraphQL errors. Any other status, or a body that is not a GraphQL response, is a failure of the subgraph.
 */
export function responseBody(response: SubgraphResponse, subgraph: string): GraphQLBody {
  if (response.body) return response.body;
  if (response.status !== 200 && response.status !== 400) throw new Error(`subgraph ${subgraph} answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new Error(`subgraph ${subgraph} answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || (!('data' in body) && !('errors' in body))) {
    throw new Error(`subgraph ${subgraph} answered HTTP ${response.status} without a GraphQL response`);
  }
  response.body = body as GraphQLBody;
  return response.body;
}
