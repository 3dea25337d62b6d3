import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { STOREFRONT_MANIFEST } from '../../gateway/service';
import { startGatewayInstance, type RunningSystem } from '../../scripts/system';
import { errorCodes, type GraphQLResponse } from '../support/graphql';
import { testRedisUrl } from '../support/services';
import { startTestSystem } from '../support/system';

/**
 * Persisted documents without TRUSTED_DOCUMENTS: the storefront's operations run by hash from its manifest with no
 * registration, and any client registers others through automatic persisted queries (APQ: hash, then hash and
 * text once told PERSISTED_QUERY_NOT_FOUND), shared by every gateway instance through Redis. GATEWAY_APQ=off
 * keeps nothing: hashes the gateway does not already know stay unknown.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

let system: RunningSystem;
let second: Awaited<ReturnType<typeof startGatewayInstance>> | undefined;

async function post(url: string, body: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const parsed = (await response.json()) as { data?: Record<string, unknown>; errors?: GraphQLResponse['errors'] };
  return { status: response.status, data: parsed.data, errors: parsed.errors, headers: response.headers };
}

beforeAll(async () => {
  system = await startTestSystem('persisted-queries', { env: { REDIS_URL: testRedisUrl() } });
});
afterAll(async () => {
  await second?.stopAll();
  await system?.stop();
});

describe('automatic persisted queries', () => {
  it('registers a document sent with its hash, after which the hash alone runs it, on every instance', async () => {
    // Unique per run: the shared Redis keeps registrations for a day.
    const query = `query Registered${Date.now()} { products(first: 1) { edges { cursor } } }`;
    const unknown = await post(system.urls.gateway, { extensions: persisted(query) });
    expect(errorCodes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const registered = await post(system.urls.gateway, { query, extensions: persisted(query) });
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ products: { edges: expect.any(Array) } });

    const byHash = await post(system.urls.gateway, { extensions: persisted(query) });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual(registered.data);

    second = await startGatewayInstance(system.config, undefined);
    const elsewhere = await post(`${second.http.url}/graphql`, { extensions: persisted(query) });
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data).toEqual(registered.data);
  });

  it('refuses a hash that does not match the text sent with it', async () => {
    const response = await post(system.urls.gateway, { query: '{ __typename }', extensions: persisted('{ products(first: 1) { edges { cursor } } }') });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toBe('the sha256Hash does not match the query text');
  });

  it("runs the storefront's operations by hash without registering them first", async () => {
    const manifest = JSON.parse(readFileSync(STOREFRONT_MANIFEST, 'utf8')) as { operations: { id: string; name: string; body: string }[] };
    const products = manifest.operations.find((operation) => operation.name === 'Products')!;
    expect(products.id).toBe(sha256(products.body));
    const response = await post(system.urls.gateway, { operationName: 'Products', variables: { first: 2 }, extensions: { persistedQuery: { version: 1, sha256Hash: products.id } } });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ products: { edges: expect.any(Array) } });
  });
});

describe('GATEWAY_APQ=off', () => {
  let off: RunningSystem;
  beforeAll(async () => {
    off = await startTestSystem('persisted-queries-off', { env: { REDIS_URL: testRedisUrl(), GATEWAY_APQ: 'off' } });
  });
  afterAll(() => off?.stop());

  it('runs a document sent with its hash but keeps nothing: the hash alone stays unknown', async () => {
    const query = `query Unkept${Date.now()} { products(first: 1) { edges { cursor } } }`;
    expect((await post(off.urls.gateway, { query, extensions: persisted(query) })).errors).toBeUndefined();
    expect(errorCodes(await post(off.urls.gateway, { extensions: persisted(query) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
