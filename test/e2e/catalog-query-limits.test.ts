import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { errorCodes, graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { startTestSystem } from '../support/system';

/** The gateway refuses operations deeper or costlier than its limits with QUERY_TOO_COMPLEX, before any subgraph is asked. */

let system: RunningSystem;
/** GraphQL requests the catalog subgraph has served (its own /metrics). */
const catalogQueries = () => metricValue(system.urls.catalog, 'http_request_duration_seconds_count', { route: '/graphql', method: 'POST' });

beforeAll(async () => {
  system = await startTestSystem('catalog-query-limits', { env: { MAX_QUERY_DEPTH: '4', MAX_QUERY_COST: '200' } });
});
afterAll(() => system?.stop());

describe('query limits at the gateway', () => {
  it('refuses a query deeper than MAX_QUERY_DEPTH with 400 QUERY_TOO_COMPLEX and calls no subgraph', async () => {
    const before = await catalogQueries();
    const response = await graphql(system.urls.gateway, '{ products(first: 1) { edges { node { price { amount } } } } }');
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.errors![0]!.message).toBe('query depth more than 4 exceeds the limit of 4');
    expect(response.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', details: { limit: 'depth', max: 4, measured: 'more than 4' } });
    expect(response.data).toBeUndefined();
    expect(await catalogQueries()).toBe(before);
  });

  it('refuses a query costlier than MAX_QUERY_COST, counting page sizes given literally or in variables', async () => {
    const before = await catalogQueries();
    const literal = await graphql(system.urls.gateway, '{ products(first: 100) { edges { node { id name } } } }');
    expect(literal.status).toBe(400);
    expect(errorCodes(literal)).toEqual(['QUERY_TOO_COMPLEX']);
    // products 1, edges 100 (101), node 100 (201): over 200, the analysis stops there.
    expect(literal.errors![0]!.message).toBe('query cost more than 200 exceeds the limit of 200; ask for smaller pages (first)');
    const variable = await graphql(system.urls.gateway, 'query($n: Int) { products(first: $n) { edges { node { id name } } } }', { n: 60 });
    expect(errorCodes(variable)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(variable.errors![0]!.message).toBe('query cost more than 200 exceeds the limit of 200; ask for smaller pages (first)');
    const defaulted = await graphql(system.urls.gateway, 'query($n: Int = 100) { products(first: $n) { edges { node { id name } } } }');
    expect(errorCodes(defaulted)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(defaulted.errors![0]!.message).toBe('query cost more than 200 exceeds the limit of 200; ask for smaller pages (first)');
    expect(await catalogQueries()).toBe(before);
  });

  it('runs queries within the limits', async () => {
    const before = await catalogQueries();
    const response = await graphql(system.urls.gateway, '{ products(first: 40) { edges { node { id name } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ products: { edges: [] } });
    expect(await catalogQueries()).toBe(before + 1);
    const defaultPage = await graphql(system.urls.gateway, '{ products { pageInfo { hasNextPage } } }');
    expect(defaultPage.errors).toBeUndefined();
  });

  it('holds introspection to the same limits', async () => {
    const response = await graphql(system.urls.gateway, '{ __schema { queryType { fields { name type { ofType { name } } } } } }');
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.errors![0]!.message).toBe('query depth more than 4 exceeds the limit of 4');
  });
});
