import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_SIGNED_REQUEST_WINDOW_SECONDS, IDENTITY_HEADERS, signRequest, type Identity } from '../../lib/auth';
import { startGatewayInstance, type RunningSystem } from '../../scripts/system';
import { CREATE_PRODUCT, productInput } from '../support/catalog';
import { errorCodes, graphql } from '../support/graphql';
import { TEST_SIGNING_SECRET, startTestSystem, tokenFor } from '../support/system';

/**
 * Subgraphs believe only identity the gateway signed for that very request (docs/architecture.md §3, issue 9). A request
 * straight to the catalog with made-up, wrongly signed, stale, future-dated or altered identity headers is
 * anonymous; headers captured on the wire between the gateway and a subgraph do not authorise any other
 * operation; the gateway never passes on identity headers a client sent.
 */

const admin = { sub: 'admin-1', roles: ['admin'] };
const customer = { sub: 'customer-1', roles: [] };

let system: RunningSystem;
let catalogGraphql: string;
let sku = 0;

const nextInput = () => {
  sku += 1;
  return { input: productInput(sku, { sku: `IDENTITY-${sku}` }) };
};
const createWith = (url: string, options: Parameters<typeof graphql>[3]) => graphql<{ createProduct: { sku: string } }>(url, CREATE_PRODUCT, nextInput(), options);

/** Identity headers signed for another body than the one that will be sent (what a replay looks like). */
const signedFor = (caller: Identity, now = Date.now()) =>
  signRequest({ caller, method: 'POST', path: '/graphql', body: JSON.stringify({ query: CREATE_PRODUCT, variables: nextInput() }) }, TEST_SIGNING_SECRET, now);

beforeAll(async () => {
  system = await startTestSystem('catalog-identity');
  catalogGraphql = `${system.urls.catalog}/graphql`;
});
afterAll(() => system?.stop());

describe('straight to the catalog subgraph', () => {
  it('accepts identity signed for the request: admins write, customers are FORBIDDEN', async () => {
    const asAdmin = await createWith(catalogGraphql, { signedAs: { caller: admin, secret: TEST_SIGNING_SECRET } });
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!.createProduct.sku).toBe(`IDENTITY-${sku}`);
    expect(errorCodes(await createWith(catalogGraphql, { signedAs: { caller: customer, secret: TEST_SIGNING_SECRET } }))).toEqual(['FORBIDDEN']);
  });

  const windowMs = DEFAULT_SIGNED_REQUEST_WINDOW_SECONDS * 1000;
  it.each([
    ['no identity headers', () => ({})],
    ['made-up identity headers without a signature', () => ({ [IDENTITY_HEADERS.sub]: 'admin-1', [IDENTITY_HEADERS.roles]: 'admin', [IDENTITY_HEADERS.timestamp]: String(Date.now()) })],
    ['headers signed for another operation', () => signedFor(admin)],
  ])('treats %s as anonymous: UNAUTHENTICATED for a mutation', async (_label, headers) => {
    const response = await createWith(catalogGraphql, { headers: headers() });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data).toBeNull();
  });

  interface Forgery {
    readonly caller?: Identity;
    readonly secret: string;
    readonly alter?: Record<string, string>;
    readonly skewMs?: number;
  }
  it.each<[string, Forgery]>([
    ['a made-up signature', { secret: TEST_SIGNING_SECRET, alter: { [IDENTITY_HEADERS.signature]: Buffer.alloc(32, 7).toString('base64url') } }],
    ['headers signed with another secret', { secret: 'guessed-secret-0123456789abcdef0123456789' }],
    ['a customer signature with the roles changed to admin', { caller: customer, secret: TEST_SIGNING_SECRET, alter: { [IDENTITY_HEADERS.roles]: 'admin' } }],
    ['a valid signature just older than the window', { secret: TEST_SIGNING_SECRET, skewMs: -(windowMs + 1000) }],
    ['a signature dated 55 s in the future', { secret: TEST_SIGNING_SECRET, skewMs: 55_000 }],
  ])('treats %s over the right body as anonymous', async (_label, { caller = admin, secret, alter = {}, skewMs = 0 }) => {
    const variables = nextInput();
    const body = JSON.stringify({ query: CREATE_PRODUCT, variables });
    const headers = { ...signRequest({ caller, method: 'POST', path: '/graphql', body }, secret, Date.now() + skewMs), ...alter };
    const response = await fetch(catalogGraphql, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const result = (await response.json()) as { data: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(result.data).toBeNull();
  });

  it('ignores a bearer token: only the gateway verifies tokens', async () => {
    expect(errorCodes(await createWith(catalogGraphql, { token: await tokenFor('admin-1', { admin: true }) }))).toEqual(['UNAUTHENTICATED']);
  });
});

/** Forwards to the catalog and keeps what the gateway sent: the position of someone on the internal network. */
async function startRecordingProxy(target: string): Promise<{ url: string; captured: { headers: IncomingHttpHeaders; body: string }[]; stop(): Promise<void> }> {
  const captured: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      captured.push({ headers: req.headers, body: body.toString('utf8') });
      const forward = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    captured,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('identity headers captured between the gateway and a subgraph', () => {
  it('work for the request they were signed for and for no other operation', async () => {
    const proxy = await startRecordingProxy(system.urls.catalog);
    const gateway = await startGatewayInstance(
      { ...system.config, ports: { ...system.config.ports, gateway: 0 }, urls: { ...system.config.urls, catalogGraphql: `${proxy.url}/graphql` } },
      undefined,
    );
    try {
      const created = await createWith(`${gateway.http.url}/graphql`, { token: await tokenFor('admin-1', { admin: true }) });
      expect(created.errors).toBeUndefined();
      const sent = proxy.captured.find((request) => request.body.includes('createProduct'));
      expect(sent?.headers[IDENTITY_HEADERS.sub]).toBe('admin-1');
      const stolen = Object.fromEntries(Object.values(IDENTITY_HEADERS).map((name) => [name, String(sent!.headers[name])]));

      // The same headers on another operation: a different product, then an admin price change.
      const replayed = await createWith(catalogGraphql, { headers: stolen });
      expect(errorCodes(replayed)).toEqual(['UNAUTHENTICATED']);
      const reprice = await graphql(catalogGraphql, 'mutation { changeProductPrice(id: "x", price: { amount: 1, currency: "USD" }) { id } }', {}, { headers: stolen });
      expect(errorCodes(reprice)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await gateway.stopAll();
      await proxy.stop();
    }
  });
});

describe('through the gateway', () => {
  it('does not pass on identity headers a client sends', async () => {
    const validlySigned = signedFor(admin);
    expect(errorCodes(await createWith(system.urls.gateway, { headers: validlySigned }))).toEqual(['UNAUTHENTICATED']);
    const customerToken = await tokenFor('customer-1');
    expect(errorCodes(await createWith(system.urls.gateway, { token: customerToken, headers: validlySigned }))).toEqual(['FORBIDDEN']);
  });
});
