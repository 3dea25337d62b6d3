import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IDENTITY_HEADERS, IDENTITY_MAX_AGE_SECONDS, signIdentity } from '../../lib/auth';
import type { RunningSystem } from '../../scripts/system';
import { CREATE_PRODUCT, productInput } from '../support/catalog';
import { errorCodes, graphql } from '../support/graphql';
import { TEST_SIGNING_SECRET, startTestSystem, tokenFor } from '../support/system';

/**
 * Subgraphs believe only identity signed by the gateway (DESIGN.md 3). A request straight to the catalog with
 * made-up, wrongly signed, stale or altered identity headers is anonymous; the gateway never passes on identity
 * headers a client sent.
 */

const admin = { sub: 'admin-1', roles: ['admin'] };
const customer = { sub: 'customer-1', roles: [] };

let system: RunningSystem;
let catalogGraphql: string;
let sku = 0;

const createWith = (url: string, options: { headers?: Record<string, string>; token?: string }) => {
  sku += 1;
  return graphql<{ createProduct: { sku: string } }>(url, CREATE_PRODUCT, { input: productInput(sku, { sku: `IDENTITY-${sku}` }) }, options);
};

beforeAll(async () => {
  system = await startTestSystem('catalog-identity');
  catalogGraphql = `${system.urls.catalog}/graphql`;
});
afterAll(() => system?.stop());

describe('straight to the catalog subgraph', () => {
  it('accepts identity the gateway signed: admins write, customers are FORBIDDEN', async () => {
    const asAdmin = await createWith(catalogGraphql, { headers: signIdentity(admin, TEST_SIGNING_SECRET) });
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!.createProduct.sku).toBe(`IDENTITY-${sku}`);
    expect(errorCodes(await createWith(catalogGraphql, { headers: signIdentity(customer, TEST_SIGNING_SECRET) }))).toEqual(['FORBIDDEN']);
  });

  it.each([
    ['no identity headers', () => ({})],
    [
      'made-up identity headers without a signature',
      () => ({ [IDENTITY_HEADERS.sub]: 'admin-1', [IDENTITY_HEADERS.roles]: 'admin', [IDENTITY_HEADERS.timestamp]: String(Math.floor(Date.now() / 1000)) }),
    ],
    [
      'a made-up signature',
      () => ({ ...signIdentity(admin, TEST_SIGNING_SECRET), [IDENTITY_HEADERS.signature]: Buffer.alloc(32, 7).toString('base64url') }),
    ],
    ['headers signed with another secret', () => signIdentity(admin, 'guessed-secret-0123456789abcdef0123456789')],
    ['a customer signature with the roles changed to admin', () => ({ ...signIdentity(customer, TEST_SIGNING_SECRET), [IDENTITY_HEADERS.roles]: 'admin' })],
    ['a valid signature older than the limit', () => signIdentity(admin, TEST_SIGNING_SECRET, Date.now() - (IDENTITY_MAX_AGE_SECONDS + 5) * 1000)],
    ['a signature dated in the future', () => signIdentity(admin, TEST_SIGNING_SECRET, Date.now() + (IDENTITY_MAX_AGE_SECONDS + 5) * 1000)],
  ])('treats %s as anonymous: UNAUTHENTICATED for a mutation', async (_label, headers) => {
    const response = await createWith(catalogGraphql, { headers: headers() });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data).toBeNull();
  });

  it('ignores a bearer token: only the gateway verifies tokens', async () => {
    expect(errorCodes(await createWith(catalogGraphql, { token: await tokenFor('admin-1', { admin: true }) }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('through the gateway', () => {
  it('does not pass on identity headers a client sends', async () => {
    const validlySigned = signIdentity(admin, TEST_SIGNING_SECRET);
    expect(errorCodes(await createWith(system.urls.gateway, { headers: validlySigned }))).toEqual(['UNAUTHENTICATED']);
    const customerToken = await tokenFor('customer-1');
    expect(errorCodes(await createWith(system.urls.gateway, { token: customerToken, headers: validlySigned }))).toEqual(['FORBIDDEN']);
  });
});
