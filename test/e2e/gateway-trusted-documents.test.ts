import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../lib/config';
import type { RunningSystem } from '../../scripts/system';
import { TrustedDocuments } from '../../gateway/trusted-documents/manifest';
import { errorCodes, type GraphQLResponse } from '../support/graphql';
import { MULTIPART_ACCEPT, initialisedSocket } from '../support/subscriptions';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * TRUSTED_DOCUMENTS: with a persisted query manifest, only its operations run, asked for by hash (the APQ wire
 * format of Apollo Client's persisted-queries link) or by their exact text, on HTTP (POST and GET), graphql-ws and
 * multipart subscriptions. An unknown hash is PERSISTED_QUERY_NOT_FOUND, any other text FORBIDDEN. A bad manifest
 * stops start-up with a message naming the variable.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const PRODUCTS = 'query Products { products(first: 2) { edges { cursor } } }';
const WATCH = 'subscription Watch($id: ID!) { orderStatusChanged(orderId: $id) { status } }';
const manifest = {
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [
    { id: sha256(PRODUCTS), name: 'Products', type: 'query', body: PRODUCTS },
    { id: sha256(WATCH), name: 'Watch', type: 'subscription', body: WATCH },
  ],
};
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

const dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
function manifestFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

let system: RunningSystem;

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(system.urls.gateway, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const parsed = (await response.json()) as { data?: Record<string, unknown>; errors?: GraphQLResponse['errors'] };
  return { status: response.status, data: parsed.data, errors: parsed.errors, headers: response.headers };
}

beforeAll(async () => {
  system = await startTestSystem('trusted-documents', { env: { TRUSTED_DOCUMENTS: manifestFile('manifest.json', manifest) } });
});
afterAll(() => system?.stop());

describe('over HTTP', () => {
  it('runs a manifest operation asked for by hash, as Apollo Client sends it', async () => {
    const response = await post({ operationName: 'Products', variables: {}, extensions: persisted(PRODUCTS) });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ products: { edges: [] } });
  });

  it('runs a manifest operation sent as its exact text, and over GET by hash', async () => {
    expect((await post({ query: PRODUCTS })).data).toEqual({ products: { edges: [] } });
    const url = new URL(system.urls.gateway);
    url.searchParams.set('extensions', JSON.stringify(persisted(PRODUCTS)));
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { products: { edges: [] } } });
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, even when the text comes along (nothing is registered)', async () => {
    const adHoc = '{ products(first: 50) { edges { cursor } } }';
    const unknown = await post({ extensions: persisted(adHoc) });
    // Apollo Server's status for it: a GraphQL error the client's persisted-queries link reads, not a failed request.
    expect(unknown.status).toBe(200);
    expect(unknown.errors).toEqual([{ message: `persisted query ${sha256(adHoc)} is not known to this gateway`, extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    expect(errorCodes(await post({ query: adHoc, extensions: persisted(adHoc) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(errorCodes(await post({ extensions: persisted(adHoc) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('refuses ad-hoc text with FORBIDDEN, and text that does not match its hash with BAD_REQUEST', async () => {
    const adHoc = await post({ query: '{ products(first: 1) { edges { cursor } } }' });
    expect(adHoc.status).toBe(403);
    expect(adHoc.errors).toEqual([
      { message: 'only trusted documents may run on this gateway: send a persisted query hash from its manifest', extensions: { code: 'FORBIDDEN' } },
    ]);
    const mismatch = await post({ query: '{ __typename }', extensions: persisted(PRODUCTS) });
    expect(mismatch.status).toBe(400);
    expect(errorCodes(mismatch)).toEqual(['BAD_REQUEST']);
  });
});

describe('over graphql-ws and multipart', () => {
  it('subscribes on a WebSocket by exact text or by hash, and refuses ad-hoc text there', async () => {
    const raw = await initialisedSocket(system.urls.gateway, await tokenFor('trusted-customer'));
    // graphql-transport-ws requires a query string: a hash comes with an empty one.
    raw.send({ id: 'a', type: 'subscribe', payload: { query: '', variables: { id: 'missing-order' }, extensions: persisted(WATCH) } });
    raw.send({ id: 't', type: 'subscribe', payload: { query: WATCH, variables: { id: 'missing-order' } } });
    // Admitted and run: the access check finds no such order.
    for (const id of ['a', 't']) {
      expect((await raw.next((m) => m['id'] === id && m['type'] !== 'complete'))['payload']).toEqual({
        errors: [expect.objectContaining({ message: 'no order with id "missing-order"', extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })],
      });
    }
    raw.send({ id: 'b', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await raw.next((m) => m['id'] === 'b')).toEqual({
      id: 'b',
      type: 'error',
      payload: [{ message: 'only trusted documents may run on this gateway: send a persisted query hash from its manifest', extensions: { code: 'FORBIDDEN' } }],
    });
    raw.send({ id: 'c', type: 'subscribe', payload: { query: '', extensions: persisted('subscription { orderStatusChanged(orderId: "x") { status } }') } });
    expect(((await raw.next((m) => m['id'] === 'c'))['payload'] as { extensions: { code: string } }[])[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await raw.close();
  });

  it('subscribes by hash over multipart HTTP and refuses ad-hoc text there', async () => {
    const token = await tokenFor('trusted-customer');
    const headers = { accept: MULTIPART_ACCEPT, authorization: `Bearer ${token}` };
    const byHash = await fetch(system.urls.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ variables: { id: 'missing-order' }, extensions: persisted(WATCH) }),
    });
    expect(byHash.status).toBe(200);
    expect(byHash.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect(await byHash.text()).toContain('"NOT_FOUND"');
    const adHoc = await post({ query: 'subscription { orderStatusChanged(orderId: "x") { status } }' }, headers);
    expect(adHoc.status).toBe(403);
    expect(errorCodes(adHoc)).toEqual(['FORBIDDEN']);
  });
});

describe('the manifest at start-up', () => {
  it.each([
    ['a missing file', join(dir, 'nope.json'), /^TRUSTED_DOCUMENTS: cannot read the persisted query manifest ".*nope.json" \(no such file\)$/],
    ['a file that is not JSON', manifestFile('bad.json', '{ not json'), /^TRUSTED_DOCUMENTS: cannot read the persisted query manifest/],
    ['another format', manifestFile('format.json', { ...manifest, format: 'something-else' }), /^TRUSTED_DOCUMENTS: .*format.json: format: /],
    [
      'an id that is not the sha256 of its body',
      manifestFile('forged.json', { ...manifest, operations: [{ ...manifest.operations[0], body: '{ __typename }' }] }),
      /^TRUSTED_DOCUMENTS: .*forged.json: operations.0 \(Products\): id [0-9a-f]{64} is not the sha256 of its body \([0-9a-f]{64}\)$/,
    ],
  ])('refuses %s with a message naming TRUSTED_DOCUMENTS', (_label, path, message) => {
    let error: unknown;
    try {
      TrustedDocuments.load(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatch(message);
  });

  it('stops the gateway from starting', async () => {
    await expect(startTestSystem('trusted-documents-bad', { env: { TRUSTED_DOCUMENTS: join(dir, 'nope.json') } })).rejects.toThrow(/TRUSTED_DOCUMENTS: cannot read/);
  });
});
