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
    // As Apollo Server answers it: 200, never kept by an intermediary (the hash may be registered a moment later).
    expect(unknown.status).toBe(200);
    expect(unknown.headers.get('cache-control')).toBe('private, no-cache, must-revalidate');

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
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['BAD_REQUEST']);
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

describe('registration', () => {
  it.each([
    ['does not parse', (n: number) => `query Broken${n} { products(`, 'GRAPHQL_PARSE_FAILED'],
    ['does not validate', (n: number) => `query Invalid${n} { products { nope } }`, 'GRAPHQL_VALIDATION_FAILED'],
    ['is over a limit', (n: number) => `query Deep${n} { ${'products { edges { node { '.repeat(6)}id${' } } }'.repeat(6)} }`, 'QUERY_TOO_COMPLEX'],
  ])('keeps no document that %s', async (_case, document, code) => {
    const query = document(Date.now());
    const sent = await post(system.urls.gateway, { query, extensions: persisted(query) });
    expect(errorCodes(sent)).toEqual([code]);
    expect(await system.gateway.levers.persistedQueries!.get(sha256(query))).toBeUndefined();
    expect(errorCodes(await post(system.urls.gateway, { extensions: persisted(query) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  describe('with rate limits', () => {
    let limited: RunningSystem;
    beforeAll(async () => {
      limited = await startTestSystem('persisted-queries-limited', { env: { RATE_LIMIT: 'on', RATE_LIMIT_ANONYMOUS_POINTS: '100' } });
    });
    afterAll(() => limited?.stop());

    it("spends the caller's rate budget by the size of what it registers (one point per KiB)", async () => {
      // 40 KiB documents: each registration spends 1 point for the operation and 40 for the bytes it keeps.
      const texts = [1, 2, 3].map((n) => {
        const head = `query Large${n}${Date.now()} { product(id: "`;
        return `${head}${'x'.repeat(40 * 1024 - head.length - 11)}") { id } }`;
      });
      for (const text of texts.slice(0, 2)) {
        const response = await post(limited.urls.gateway, { query: text, extensions: persisted(text) });
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual({ product: null });
      }
      const third = await post(limited.urls.gateway, { query: texts[2], extensions: persisted(texts[2]!) });
      expect(third.status).toBe(429);
      expect(errorCodes(third)).toEqual(['RATE_LIMITED']);
      expect(await limited.gateway.levers.persistedQueries!.get(sha256(texts[2]!))).toBeUndefined();
      expect(await limited.gateway.levers.persistedQueries!.get(sha256(texts[1]!))).toBe(texts[1]);
    });
  });
});

describe('GATEWAY_APQ=off', () => {
  // Apollo's protocol: PERSISTED_QUERY_NOT_SUPPORTED tells an APQ client to send the text from then on.
  let off: RunningSystem;
  beforeAll(async () => {
    off = await startTestSystem('persisted-queries-off', { env: { REDIS_URL: testRedisUrl(), GATEWAY_APQ: 'off' } });
  });
  afterAll(() => off?.stop());

  it('runs a document sent with its hash but keeps nothing: the hash alone is PERSISTED_QUERY_NOT_SUPPORTED', async () => {
    const query = `query Unkept${Date.now()} { products(first: 1) { edges { cursor } } }`;
    expect((await post(off.urls.gateway, { query, extensions: persisted(query) })).errors).toBeUndefined();
    const hashOnly = await post(off.urls.gateway, { extensions: persisted(query) });
    expect(hashOnly.status).toBe(200);
    expect(errorCodes(hashOnly)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
  });
});
