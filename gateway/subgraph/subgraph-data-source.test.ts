import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { IDENTITY_HEADERS, verifyRequest } from '../../lib/auth';
import { createLogger } from '../../lib/logging';
import { waitFor } from '../../lib/events/testing/wait-for';
import { TaggedCache } from '../cache/tagged-cache';
import type { GatewayContext } from '../gateway-context';
import type { GraphQLDataSource } from '@apollo/gateway';
import { subgraphDataSource, subgraphFetcher, type SubgraphDataSourceOptions } from './subgraph-data-source';
import { undiciSubgraphFetch } from './subgraph-fetch';

/**
 * The composed fetch steps (gateway/subgraph/subgraph-data-source.ts) against a real HTTP subgraph on port 0 that records what it receives and answers `_entities` for
 * Product representations (a product whose id starts with "bad" fails); a test can hold its answers so requests overlap.
 */

const SECRET = 'data-source-test-secret-0123456789abcdef';
const logger = createLogger({ service: 'test', level: 'silent' });
interface Received {
  readonly body: { query: string; variables: Record<string, unknown> };
  /** The body's exact bytes, which the caller's signature covers. */
  readonly text: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}
let received: Received[] = [];
/** The subgraph answers once this settles: tests that need requests in flight together hold it. */
let answers: Promise<void> = Promise.resolve();
let server: Server;
let url: string;
const transport = undiciSubgraphFetch({ connections: 4 });

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as Received['body'];
      received.push({ body, text, path: req.url ?? '', headers: req.headers });
      const representations = (body.variables['representations'] ?? []) as { __typename: string; id: string }[];
      const errors = representations.flatMap((rep, index) => (rep.id.startsWith('bad') ? [{ message: `no ${rep.id}`, path: ['_entities', index, 'name'] }] : []));
      const payload = body.query.includes('_entities')
        ? { data: { _entities: representations.map((rep) => (rep.id.startsWith('bad') ? null : { name: `Product ${rep.id}`, sub: req.headers[IDENTITY_HEADERS.sub] ?? null })) }, ...(errors.length ? { errors } : {}) }
        : { data: { me: { id: req.headers[IDENTITY_HEADERS.sub] ?? null } } };
      void answers.then(() => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('cache-control', body.query.includes('_entities') ? 'max-age=60, public' : 'no-store');
        res.end(JSON.stringify(payload));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await transport.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
  answers = Promise.resolve();
});

/** Holds the subgraph's answers until released, so requests are in flight together however slow the machine. */
function holdAnswers(): () => void {
  let release: () => void = () => undefined;
  answers = new Promise<void>((resolve) => (release = resolve));
  return () => {
    answers = Promise.resolve();
    release();
  };
}

/** Runs `start` with the answers held until the subgraph has received `count` requests: all of them overlap. */
async function inFlightTogether<T>(count: number, start: () => Promise<T>): Promise<T> {
  const release = holdAnswers();
  try {
    const running = start();
    await waitFor(`${count} requests at the subgraph`, () => received.length >= count);
    release();
    return await running;
  } finally {
    release();
  }
}

const customer = (sub: string) => ({ sub, roles: [] as string[] });

function optionsOf(options: { dedupe?: boolean; cache?: TaggedCache }): SubgraphDataSourceOptions {
  return { name: 'catalog', url, transport: transport.fetch, signingSecret: SECRET, dedupe: options.dedupe ?? true, cache: options.cache, sharedFetchTimeoutMs: 10_000 };
}
function source(options: { dedupe?: boolean; cache?: TaggedCache } = {}): GraphQLDataSource<GatewayContext> {
  return subgraphDataSource(optionsOf(options));
}
/** How each fetch was served (fetched, deduped, cached), from the same chain the data source runs. */
function servedBy(options: { dedupe?: boolean; cache?: TaggedCache } = {}) {
  const fetcher = subgraphFetcher(optionsOf(options));
  return (query: string, variables: Record<string, unknown>, context: GatewayContext) =>
    fetcher({ subgraph: 'catalog', url, query, variables, operationName: undefined, caller: context.caller, correlationId: context.correlationId, readOnly: true, deadline: undefined });
}

/** What the query plan executor passes for one fetch of an incoming operation. */
function fetchOf(query: string, variables: Record<string, unknown>, context: GatewayContext, operation: 'query' | 'mutation' = 'query') {
  const restricted: { maxAge?: number; scope?: string }[] = [];
  const options = {
    kind: 'incoming operation',
    request: { query, variables },
    context,
    incomingRequestContext: { operation: { operation }, overallCachePolicy: { restrict: (hint: { maxAge?: number; scope?: string }) => restricted.push(hint) } },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
  return { options, restricted };
}

const ENTITIES = 'query Q__catalog__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name sub } } }';
const ME = 'query Q__orders__0 { me { id } }';
const contextOf = (sub: string | null): GatewayContext => ({ caller: sub ? customer(sub) : null, correlationId: `corr-${sub ?? 'anon'}`, logger });

describe('identity and dedupe', () => {
  it('signs the caller onto each request with the correlation id', async () => {
    const response = await source().process(fetchOf(ME, {}, contextOf('customer-1')).options);
    expect(response.data).toEqual({ me: { id: 'customer-1' } });
    const { headers, path, text } = received[0]!;
    expect(verifyRequest(headers, { method: 'POST', path, body: text }, SECRET)).toEqual({ status: 'verified', identity: customer('customer-1') });
    // Bound to this request: the same headers over another body do not verify.
    expect(verifyRequest(headers, { method: 'POST', path, body: `${text} ` }, SECRET)).toMatchObject({ status: 'rejected' });
    expect(received[0]!.headers['x-correlation-id']).toBe('corr-customer-1');
  });

  it('sends one request for identical queries of one caller in flight, and gives each its own copy', async () => {
    const dataSource = source();
    const responses = await inFlightTogether(1, () => Promise.all(Array.from({ length: 5 }, () => dataSource.process(fetchOf(ME, {}, contextOf('customer-1')).options))));
    expect(received).toHaveLength(1);
    for (const response of responses) expect(response.data).toEqual({ me: { id: 'customer-1' } });
    expect(new Set(responses.map((response) => response.data)).size).toBe(5);
    received = [];
    const fetch = servedBy();
    const served = await inFlightTogether(1, () => Promise.all(Array.from({ length: 3 }, () => fetch(ME, {}, contextOf('customer-1')))));
    expect(served.map((response) => response.served).sort()).toEqual(['deduped', 'deduped', 'fetched']);
  });

  it('never shares a fetch between callers, nor a mutation, nor with dedupe off', async () => {
    const dataSource = source();
    const [a, b, anonymous] = await inFlightTogether(3, () =>
      Promise.all([contextOf('customer-a'), contextOf('customer-b'), contextOf(null)].map((context) => dataSource.process(fetchOf(ME, {}, context).options))),
    );
    expect([a!.data, b!.data, anonymous!.data]).toEqual([{ me: { id: 'customer-a' } }, { me: { id: 'customer-b' } }, { me: { id: null } }]);
    expect(received).toHaveLength(3);

    received = [];
    await inFlightTogether(2, () => Promise.all([1, 2].map(() => dataSource.process(fetchOf('mutation M { me { id } }', {}, contextOf('customer-a'), 'mutation').options))));
    expect(received).toHaveLength(2);
    received = [];
    await inFlightTogether(2, () => Promise.all([1, 2].map(() => dataSource.process(fetchOf(ME, {}, contextOf('customer-a'), 'mutation').options))));
    expect(received).toHaveLength(2);
    received = [];
    const off = source({ dedupe: false });
    await inFlightTogether(2, () => Promise.all([1, 2].map(() => off.process(fetchOf(ME, {}, contextOf('customer-a')).options))));
    expect(received).toHaveLength(2);
  });
});

describe('entity cache', () => {
  let cache: TaggedCache;
  beforeEach(() => {
    cache = new TaggedCache({ maxEntries: 100, logger, repeatInvalidationMs: 0 });
  });
  const reps = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Product', id })) });

  it('fetches only the representations it does not hold, in their places, and restricts the policy', async () => {
    const dataSource = source({ cache });
    await dataSource.process(fetchOf(ENTITIES, reps('p1', 'p3'), contextOf(null)).options);
    expect(received).toHaveLength(1);

    received = [];
    const { options, restricted } = fetchOf(ENTITIES, reps('p1', 'p2', 'p3'), contextOf(null));
    const response = await dataSource.process(options);
    expect(received.map((request) => request.body.variables)).toEqual([reps('p2')]);
    expect(response.data).toEqual({ _entities: [{ name: 'Product p1', sub: null }, { name: 'Product p2', sub: null }, { name: 'Product p3', sub: null }] });
    expect(restricted).toEqual([{ maxAge: expect.any(Number), scope: 'PUBLIC' }]);
    expect(restricted[0]!.maxAge).toBeGreaterThan(50);

    received = [];
    await dataSource.process(fetchOf(ENTITIES, reps('p3', 'p2', 'p1'), contextOf(null)).options);
    expect(received).toHaveLength(0);
  });

  it('points errors of a partial fetch at the full list and caches nothing that failed', async () => {
    const dataSource = source({ cache });
    await dataSource.process(fetchOf(ENTITIES, reps('p1'), contextOf(null)).options);
    received = [];
    const response = await dataSource.process(fetchOf(ENTITIES, reps('p1', 'bad-1', 'p4'), contextOf(null)).options);
    expect(received.map((request) => request.body.variables)).toEqual([reps('bad-1', 'p4')]);
    expect(response.data).toEqual({ _entities: [{ name: 'Product p1', sub: null }, null, { name: 'Product p4', sub: null }] });
    expect(response.errors).toEqual([{ message: 'no bad-1', path: ['_entities', 1, 'name'] }]);
    received = [];
    await dataSource.process(fetchOf(ENTITIES, reps('bad-1', 'p4'), contextOf(null)).options);
    expect(received.map((request) => request.body.variables)).toEqual([reps('bad-1')]);
  });

  it('hands out copies, so the executor merging into one answer leaves the cached entity alone', async () => {
    const dataSource = source({ cache });
    const first = await dataSource.process(fetchOf(ENTITIES, reps('p5'), contextOf(null)).options);
    ((first.data!['_entities'] as Record<string, unknown>[])[0]!)['name'] = 'changed by a merge';
    const second = await dataSource.process(fetchOf(ENTITIES, reps('p5'), contextOf(null)).options);
    ((second.data!['_entities'] as Record<string, unknown>[])[0]!)['name'] = 'changed again';
    const third = await dataSource.process(fetchOf(ENTITIES, reps('p5'), contextOf(null)).options);
    expect(third.data).toEqual({ _entities: [{ name: 'Product p5', sub: null }] });
  });

  it('does not store what a shared fetch read before an invalidation that came between', async () => {
    const fetch = servedBy({ cache });
    const release = holdAnswers();
    const leader = fetch(ENTITIES, reps('p9'), contextOf(null));
    await waitFor('the request at the subgraph', () => received.length === 1);
    await cache.invalidate(['product:p9']);
    // Joins the fetch in flight, which left before the invalidation: its answer may predate the change. The join
    // takes no I/O (the entity cache is in memory), so it is done before the released answer can arrive.
    const follower = fetch(ENTITIES, reps('p9'), contextOf(null));
    release();
    const served = await Promise.all([leader, follower]);
    expect(received).toHaveLength(1);
    expect(served.map((response) => response.served).sort()).toEqual(['deduped', 'fetched']);
    received = [];
    await source({ cache }).process(fetchOf(ENTITIES, reps('p9'), contextOf(null)).options);
    expect(received).toHaveLength(1);
  });

  it('drops an entity when its tag is invalidated, and keeps admins apart', async () => {
    const dataSource = source({ cache });
    await dataSource.process(fetchOf(ENTITIES, reps('p6'), contextOf(null)).options);
    await cache.invalidate(['product:p6']);
    received = [];
    await dataSource.process(fetchOf(ENTITIES, reps('p6'), contextOf(null)).options);
    expect(received).toHaveLength(1);
    received = [];
    const admin: GatewayContext = { caller: { sub: 'admin-1', roles: ['admin'] }, correlationId: 'corr-admin', logger };
    const response = await dataSource.process(fetchOf(ENTITIES, reps('p6'), admin).options);
    expect(received).toHaveLength(1);
    expect(response.data).toEqual({ _entities: [{ name: 'Product p6', sub: 'admin-1' }] });
  });
});
