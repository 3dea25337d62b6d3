/**
 * Hive Gateway configuration of the gateway benchmark: the same work as the project's gateway on authenticated
 * operations (verify the client's JWT, forward the caller to subgraphs signed over each request's method, path and
 * body), with the performance features Hive offers that the project's gateway has too, and nothing else changed from
 * Hive's defaults:
 * - in-flight dedupe of subgraph fetches (Hive's default, the HTTP transport's `deduplicateInflightRequests`) and of
 *   inbound requests (`inboundInflightRequestDeduplication`, off by default): identical queries of the same
 *   Authorization header in flight together run once, as the project's gateway folds those of the same caller;
 * - with BENCH_HIVE_RESPONSE_CACHE=on, Hive's `responseCaching` over its in-memory LRU storage (the storage Hive
 *   falls back to on Node): the session is the verified caller's `sub` (null for anonymous callers), so anything a
 *   caller may see alone is cached for that caller only, and the TTLs restate the subgraphs' cache hints
 *   (cache-hints.ts), so Hive caches the responses the project's gateway caches, for as long. A mutation's result
 *   invalidates the responses holding the entities it returns (Hive's default `invalidateViaMutation`).
 *
 * The caller's claims go through Hive's header propagation, so its dedupe of subgraph fetches keys on them (headers
 * set later, in `onFetch`, would let it share one customer's subgraph response with another); `onFetch` then signs
 * them over the body actually sent. Read by `hive-gateway supergraph --config-path <this file>`.
 *
 * Hive Gateway is installed in this folder, apart from the project (package.json here), so the project's typecheck
 * runs without it: the options below are typed where they are written, and `defineConfig` (which only types them) is
 * left out. The cache class is loaded from this folder's node_modules.
 */
import { createRequire } from 'node:module';
import { bearerToken, createTokenVerifier, identityClaims, IDENTITY_HEADERS, signRequest, type Caller } from '../../lib/auth';
import { projectHiveCacheRules } from '../support/peers/cache-hints';

interface KeyValueCache {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, options?: { ttl?: number }): Promise<void>;
  delete(key: string): Promise<boolean>;
}
const { default: InMemoryLRUCache } = createRequire(import.meta.url)('@graphql-mesh/cache-inmemory-lru') as {
  default: new (options: { max: number }) => KeyValueCache;
};

const verify = createTokenVerifier({ secret: process.env['JWT_SECRET'], jwksUrl: undefined, issuer: undefined, audience: undefined });
const signingSecret = process.env['GATEWAY_SIGNING_SECRET'] ?? '';
const responseCache = process.env['BENCH_HIVE_RESPONSE_CACHE'] === 'on';
/** This file is loaded as an ES module (no __dirname): the benchmark says where the schema is. */
const schemaDir = process.env['BENCH_SCHEMA_DIR'];
if (responseCache && !schemaDir) throw new Error('BENCH_SCHEMA_DIR must name the schema directory when BENCH_HIVE_RESPONSE_CACHE=on');
/** Keys the storage holds: a cached response takes one, plus two for each entity it holds (its invalidation index). */
const CACHE_KEYS = 30_000;

/**
 * The verified caller of a request, verified once: the response cache asks for its session before Hive builds the
 * context (so a cache hit is still only served to a caller whose token is valid), and the context asks again.
 */
const callers = new WeakMap<Request, Promise<Caller>>();
function callerOf(request: Request): Promise<Caller> {
  let caller = callers.get(request);
  if (caller === undefined) {
    const token = bearerToken(request.headers.get('authorization'));
    caller = token === undefined ? Promise.resolve(null) : verify(token);
    callers.set(request, caller);
  }
  return caller;
}

export const gatewayConfig = {
  inboundInflightRequestDeduplication: { shouldIncludeHeader: (name: string) => name === 'authorization' },
  ...(responseCache
    ? {
        cache: new InMemoryLRUCache({ max: CACHE_KEYS }),
        responseCaching: {
          ...projectHiveCacheRules(schemaDir!),
          session: async (request: Request) => (await callerOf(request))?.sub ?? null,
        },
      }
    : {}),
  propagateHeaders: {
    fromClientToSubgraphs: ({ context }: { context: { caller?: Caller } }) => identityClaims(context.caller ?? null),
  },
  plugins: () => [
    {
      onFetch({ url, options, setOptions }: { url: string; options: RequestInit; setOptions(options: RequestInit): void }) {
        const headers = Object.fromEntries(new Headers(options.headers).entries());
        const sub = headers[IDENTITY_HEADERS.sub];
        const roles = headers[IDENTITY_HEADERS.roles];
        if (sub === undefined || roles === undefined || typeof options.body !== 'string') return;
        const target = new URL(url);
        const caller = { sub, roles: roles === '' ? [] : roles.split(',') };
        setOptions({ ...options, headers: { ...headers, ...signRequest({ caller, method: options.method ?? 'POST', path: `${target.pathname}${target.search}`, body: options.body }, signingSecret) } });
      },
    },
    {
      async onContextBuilding({ context, extendContext }: { context: { request: Request }; extendContext(extension: { caller: Caller }): void }) {
        extendContext({ caller: await callerOf(context.request) });
      },
    },
  ],
};
