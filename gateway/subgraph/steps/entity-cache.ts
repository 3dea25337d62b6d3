import { createHash } from 'node:crypto';
import { isAdmin } from '../../../lib/auth';
import { restrictHint, type CacheHint } from '../../cache/cache-hint';
import type { TaggedCache } from '../../cache/tagged-cache';
import type { FetchStep, SubgraphRequest, SubgraphResponse } from '../fetch-step';
import { responseBody } from '../parse-response';

type Representation = { readonly __typename: string; readonly id?: unknown } & Record<string, unknown>;

/** How long a type whose subgraph sent no cache hint is not looked up in the entity cache. */
const UNCACHEABLE_MEMORY_MS = 60_000;

/**
 * `_entities` fetches through the entity cache: representations the cache holds are answered from it, the rest are
 * fetched in one request (shared like any other), and what the subgraph marks cacheable is stored per entity, tagged
 * `<type>:<id>`. Only PUBLIC entities are cached, partitioned by admin role so an admin-only field can never reach
 * anyone else even if a hint were wrong. A type whose subgraph sends no hint is not looked up for a minute.
 */
export function entityCache(cache: TaggedCache): FetchStep {
  const documentKeys = new Map<string, string>();
  const uncacheableUntil = new Map<string, number>();
  /** A short stable key for a subgraph document (the planner reuses the same strings). */
  const documentKey = (query: string): string => {
    let key = documentKeys.get(query);
    if (!key) {
      key = createHash('sha256').update(query).digest('base64url').slice(0, 22);
      if (documentKeys.size > 10_000) documentKeys.clear();
      documentKeys.set(query, key);
    }
    return key;
  };
  const wanted = (typename: string): boolean => {
    const until = uncacheableUntil.get(typename);
    if (until === undefined) return true;
    if (until > Date.now()) return false;
    uncacheableUntil.delete(typename);
    return true;
  };

  return (next) => async (request) => {
    const entities = request.readOnly && !request.fresh ? entityFetch(request.variables) : undefined;
    if (!entities || !wanted(entities.typename)) return next(request);
    const { representations, typename } = entities;
    const partition = isAdmin(request.caller) ? 'admin' : 'all';
    const keys = representations.map((representation) => `x|${request.subgraph}|${documentKey(request.query)}|${partition}|${JSON.stringify(representation)}`);
    const found = await Promise.all(keys.map((key) => cache.get(key)));
    const now = Date.now();
    const missing: number[] = [];
    let hint: CacheHint | undefined = { maxAge: Number.MAX_SAFE_INTEGER, scope: 'PUBLIC' };
    const tags: string[] = [];
    found.forEach((entry, index) => {
      if (!entry) {
        missing.push(index);
        return;
      }
      hint = restrictHint(hint, { maxAge: Math.max(1, Math.floor((entry.expiresAt - now) / 1000)), scope: entry.scope });
      tags.push(...entry.tags);
    });
    // Every consumer gets entities parsed from the cache's text, so the executor's merges never touch the cache.
    const merged: unknown[] = found.map((entry) => (entry ? JSON.parse(entry.value) : null));
    if (missing.length === 0) return { status: 200, text: '', served: 'cached', hint, tags, body: { data: { _entities: merged } } };

    const partial = missing.length === representations.length ? representations : missing.map((index) => representations[index]!);
    const fetched = await next({ ...request, variables: { representations: partial } });
    const body = responseBody(fetched, request.subgraph);
    if (!fetched.hint) uncacheableUntil.set(typename, Date.now() + UNCACHEABLE_MEMORY_MS);
    hint = restrictHint(hint, fetched.hint);
    tags.push(...(fetched.tags ?? []));
    const failed = new Set<number>();
    const errors = body.errors?.map((error) => {
      // Paths of the partial fetch point into `partial`; the executor expects positions in the full list.
      const position = error.path?.[1];
      if (typeof position !== 'number') return error;
      failed.add(position);
      return { ...error, path: ['_entities', missing[position] ?? position, ...error.path!.slice(2)] };
    });
    const received = (body.data?.['_entities'] ?? null) as unknown[] | null;
    if (!Array.isArray(received)) return answer(fetched, { ...body, ...(errors ? { errors } : {}) }, undefined, tags);
    const writes: Promise<void>[] = [];
    missing.forEach((index, position) => {
      const entity = received[position] ?? null;
      merged[index] = entity;
      const id = representations[index]!.id;
      const entityHint = fetched.hint;
      // A shared fetch may have left before an invalidation this request came after: its epoch tells.
      if (entity === null || failed.has(position) || !entityHint || entityHint.scope !== 'PUBLIC' || typeof id !== 'string' || cache.epoch !== fetched.epoch) return;
      const tag = `${typename.toLowerCase()}:${id}`;
      writes.push(cache.set(keys[index]!, { value: JSON.stringify(entity), scope: 'PUBLIC', ttlSeconds: entityHint.maxAge, tags: [tag] }));
    });
    // Fetched entities are handed to the executor as parsed; the cache keeps text, so later merges cannot touch it.
    await Promise.all(writes);
    return answer(fetched, { data: { _entities: merged }, ...(errors ? { errors } : {}), ...(body.extensions ? { extensions: body.extensions } : {}) }, hint, tags);
  };
}

function answer(fetched: SubgraphResponse, body: NonNullable<SubgraphResponse['body']>, hint: CacheHint | undefined, tags: readonly string[]): SubgraphResponse {
  return { status: fetched.status, text: '', served: fetched.served, epoch: fetched.epoch, hint, tags, body };
}

/** A plain `_entities` fetch of one type: `{ representations }` and nothing else. */
function entityFetch(variables: SubgraphRequest['variables']): { representations: Representation[]; typename: string } | undefined {
  const representations = variables['representations'];
  if (!Array.isArray(representations) || representations.length === 0 || Object.keys(variables).length !== 1) return undefined;
  const first = representations[0] as Partial<Representation> | null;
  const typename = first?.__typename;
  if (typeof typename !== 'string') return undefined;
  for (const representation of representations as (Partial<Representation> | null)[]) {
    if (representation?.__typename !== typename) return undefined;
  }
  return { representations: representations as Representation[], typename };
}
