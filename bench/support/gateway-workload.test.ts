import { describe, expect, it } from '@jest/globals';
import { MUTATED_PRODUCTS, answersFor, holdsSomeonesData, workload, type BenchCustomer, type WorkloadFixture } from './gateway-workload';

const customer = (sub: string): BenchCustomer => ({ sub, token: `token-of-${sub}`, orderIds: [] });
const FIXTURE: WorkloadFixture = {
  productIds: Array.from({ length: 50 }, (_, index) => `p${index}`),
  customers: [customer('c1'), customer('c2')],
  manyCallers: Array.from({ length: 40 }, (_, index) => customer(`m${index + 1}`)),
  adminToken: 'admin-token',
};
const ids = (requests: { body: string }[]) => requests.map((request) => (JSON.parse(request.body) as { variables: { id: string } }).variables.id);

describe('workload', () => {
  it('product-many-ids asks for every product once per cycle, so no two requests of a window share an id', () => {
    const next = workload('product-many-ids', FIXTURE, 7);
    const cycle = ids(Array.from({ length: 50 }, () => next()));
    expect(new Set(cycle).size).toBe(50);
    expect(ids(Array.from({ length: 50 }, () => next()))).toEqual(cycle);
  });

  it('draws the same requests from the same seed and others from another', () => {
    const draw = (seed: number) => ids(Array.from({ length: 20 }, workload('product', FIXTURE, seed)));
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('me-many-callers sends each caller in turn with their own token, and names whose data the answer must hold', () => {
    const next = workload('me-many-callers', FIXTURE, 1);
    const sent = Array.from({ length: 41 }, () => next());
    expect(sent.map((request) => request.caller)).toEqual([...FIXTURE.manyCallers.slice(1), ...FIXTURE.manyCallers.slice(0, 2)].map((entry) => entry.sub));
    expect(sent[0]!.headers).toEqual({ authorization: 'Bearer token-of-m2' });
  });

  it('mixed sends one price change by the admin in 20 requests, and reads otherwise', () => {
    const next = workload('mixed', FIXTURE, 1);
    const sent = Array.from({ length: 40 }, () => next());
    const mutations = sent.filter((request) => request.body.includes('changeProductPrice'));
    expect(mutations).toHaveLength(2);
    expect(mutations.every((request) => request.headers['authorization'] === 'Bearer admin-token')).toBe(true);
  });

  it('mixed changes the most popular products in turn, so no two of the last MUTATED_PRODUCTS changes share a product', () => {
    const next = workload('mixed', FIXTURE, 1);
    const changed = ids(Array.from({ length: 20 * 2 * MUTATED_PRODUCTS }, () => next()).filter((request) => request.body.includes('changeProductPrice')));
    expect(changed).toHaveLength(2 * MUTATED_PRODUCTS);
    const hottest = FIXTURE.productIds.slice(0, MUTATED_PRODUCTS);
    expect(new Set(changed.slice(0, MUTATED_PRODUCTS))).toEqual(new Set(hottest));
    expect(changed.slice(MUTATED_PRODUCTS)).toEqual(changed.slice(0, MUTATED_PRODUCTS));
  });
});

describe('answersFor', () => {
  it("tells the caller's own data from another's and from an error without data", () => {
    const body = '{"data":{"me":{"id":"c1","orders":{"edges":[]}}}}';
    expect(answersFor(body, 'c1')).toBe(true);
    expect(answersFor(body, 'c2')).toBe(false);
    expect(holdsSomeonesData(body)).toBe(true);
    expect(holdsSomeonesData('{"errors":[{"message":"boom"}],"data":null}')).toBe(false);
  });
});
