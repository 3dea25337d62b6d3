import { describe, expect, it } from '@jest/globals';
import { responseBody } from './parse-response';
import { subgraphAnswer } from './testing/fetches';

describe('responseBody', () => {
  it('parses a 200 or a 400 GraphQL body once, keeping it on the response', () => {
    const response = subgraphAnswer({ text: '{"data":{"a":1}}' });
    const body = responseBody(response, 'catalog');
    expect(body).toEqual({ data: { a: 1 } });
    expect(responseBody(response, 'catalog')).toBe(body);
    expect(responseBody(subgraphAnswer({ status: 400, text: '{"errors":[{"message":"bad variable"}]}' }), 'catalog')).toEqual({ errors: [{ message: 'bad variable' }] });
  });

  it('refuses any other status, a body that is not JSON and JSON that is not a GraphQL response', () => {
    expect(() => responseBody(subgraphAnswer({ status: 502, text: 'Bad Gateway' }), 'catalog')).toThrow('subgraph catalog answered HTTP 502');
    expect(() => responseBody(subgraphAnswer({ text: '<html>' }), 'catalog')).toThrow('subgraph catalog answered HTTP 200 with a body that is not JSON');
    expect(() => responseBody(subgraphAnswer({ text: '[1]' }), 'catalog')).toThrow('subgraph catalog answered HTTP 200 without a GraphQL response');
  });
});
