import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import type { RunningSystem } from '../../scripts/system';
import { abuseCorpus } from '../fixtures/abuse/corpus';
import { errorCodes, graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * The attack corpus (test/fixtures/abuse) against the real gateway over real subgraphs, with the default limits:
 * every request is refused, with 400 QUERY_TOO_COMPLEX naming the limit it passed or, past the request size limit,
 * 413 BAD_REQUEST, before any subgraph is called, and the gateway keeps serving ordinary queries, the standard
 * introspection query included.
 */

let system: RunningSystem;

/** GraphQL requests all three subgraphs have served (their own /metrics). */
async function subgraphRequests(): Promise<number> {
  const counts = await Promise.all(
    [system.urls.catalog, system.urls.orders, system.urls.rewards].map((url) => metricValue(url, 'http_request_duration_seconds_count', { route: '/graphql', method: 'POST' })),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

beforeAll(async () => {
  system = await startTestSystem('gateway-abuse', { env: { NODE_ENV: 'development' } });
});
afterAll(() => system?.stop());

describe('the attack corpus with the default limits', () => {
  it.each(abuseCorpus().map((attack) => [attack.name, attack] as const))('refuses %s before any subgraph call', async (_name, attack) => {
    const before = await subgraphRequests();
    const rejected = () => metricValue(system.gateway.http.url, 'graphql_operation_duration_seconds_count', { outcome: 'rejected' });
    const rejectedBefore = await rejected();
    const token = await tokenFor('attacker-1');
    const response = await graphql(system.urls.gateway, attack.body.query, attack.body.variables ?? {}, { token });
    expect(response.status).toBe(attack.status);
    expect(errorCodes(response)).toEqual([attack.code]);
    if (attack.limit) {
      expect(response.errors![0]!.extensions!['details']).toMatchObject({ limit: attack.limit });
      expect(response.errors![0]!.message).toMatch(/ exceeds the limit of \d+/);
    } else {
      expect(response.errors![0]!.message).toBe(`the request body is larger than ${Math.ceil((50_000 + 16_384) * 1.25) + 16 * 1024} bytes`);
    }
    expect(response.data).toBeUndefined();
    expect(await subgraphRequests()).toBe(before);
    // Refused by the edge: counted as a rejected operation (a body too large never becomes one).
    expect(await rejected()).toBe(rejectedBefore + (attack.limit ? 1 : 0));
  });

  it('still serves ordinary queries and the standard introspection query', async () => {
    const ordinary = await graphql(system.urls.gateway, '{ products(first: 5) { edges { node { id name price { amount currency } } } pageInfo { hasNextPage } } }');
    expect(ordinary.errors).toBeUndefined();
    const introspection = await graphql<{ __schema: { queryType: { name: string } } }>(
      system.urls.gateway,
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }),
    );
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data!.__schema.queryType.name).toBe('Query');
  });
});

describe('each limit, on its own', () => {
  let tight: RunningSystem;
  beforeAll(async () => {
    tight = await startTestSystem('gateway-abuse-tight', {
      env: {
        MAX_QUERY_ALIASES: '2',
        MAX_QUERY_DIRECTIVES: '2',
        MAX_QUERY_ROOT_FIELDS: '3',
        MAX_QUERY_DUPLICATE_FIELDS: '1',
        MAX_QUERY_VARIABLES: '2',
        MAX_QUERY_VARIABLES_BYTES: '100',
        MAX_QUERY_TOKENS: '60',
        MAX_QUERY_LENGTH: '400',
      },
    });
  });
  afterAll(() => tight?.stop());

  it.each([
    ['aliases', '{ a: product(id: "1") { id } b: product(id: "2") { id } c: product(id: "3") { id } }', {}, 'number of aliases more than 2 exceeds the limit of 2'],
    ['directives', '{ __typename @skip(if: false) a: __typename @skip(if: false) b: __typename @include(if: true) }', {}, 'number of directives more than 2 exceeds the limit of 2'],
    ['rootFields', '{ __typename products { pageInfo { hasNextPage } } product(id: "1") { id } me { id } }', {}, 'number of root fields more than 3 exceeds the limit of 3'],
    ['duplicateFields', '{ product(id: "1") { id id id } }', {}, 'number of duplicate fields more than 1 exceeds the limit of 1'],
    ['variables', 'query($a: ID!, $b: ID!, $c: ID!) { product(id: $a) { id } }', { a: '1', b: '2', c: '3' }, 'number of variables more than 2 exceeds the limit of 2'],
    ['variablesSize', 'query($a: ID!) { product(id: $a) { id } }', { a: 'x'.repeat(200) }, 'size of the variables more than 100 exceeds the limit of 100 characters of JSON'],
    ['tokens', `{ ${'__typename @skip(if: false) '.repeat(10)}}`, {}, 'number of tokens more than 60 exceeds the limit of 60'],
    ['length', `{ product(id: "${'x'.repeat(400)}") { id } }`, {}, 'length of the document 426 exceeds the limit of 400 characters'],
  ] as const)('refuses an operation over %s', async (limit, query, variables, message) => {
    const response = await graphql(tight.urls.gateway, query, variables);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([{ message, extensions: { code: 'QUERY_TOO_COMPLEX', details: expect.objectContaining({ limit }) } }]);
  });

  it('applies the same limits on GET requests', async () => {
    const url = new URL(tight.urls.gateway);
    url.searchParams.set('query', '{ product(id: "1") { id id id } }');
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});
