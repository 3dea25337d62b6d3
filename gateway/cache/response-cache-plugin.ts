import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import { isAdmin } from '../../lib/auth';
import type { GatewayContext } from '../gateway-context';
import { requestCacheState } from './request-cache-state';
import type { TaggedCache } from './tagged-cache';

/**
 * Whole-response caching by the subgraphs' cache hints. The overall policy Apollo Server computes from every
 * subgraph's `Cache-Control` (and the entity cache) decides: a query whose every part is cacheable is stored for the
 * shortest max-age, under PUBLIC for everyone (partitioned by admin role, as a second line of defence against a
 * missing hint on an admin-only field) or under PRIVATE for its caller only: the `sub` and the roles, everything
 * the resolvers authorize on, so a token for the same `sub` with other roles (a demoted admin) never reads what was
 * cached for the old ones. Entries carry the tags of the
 * data they were made from, so catalog events drop them. Runs after the request's validation and `didResolveOperation`
 * plugins (limits, rate limits), so a hit is checked like any other request; responses with errors are never stored.
 */
export function responseCachePlugin(cache: TaggedCache): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let epoch = 0;
      let servedFromCache = false;
      return {
        async responseForOperation(requestContext) {
          // No operation (two without operationName, an unknown name): Apollo Server answers OPERATION_RESOLUTION_FAILURE.
          if (requestContext.operation?.operation !== 'query') return null;
          epoch = cache.epoch;
          // A fresh operation is answered from its subgraphs, never from a copy made before it (GatewayContext.fresh).
          if (requestContext.contextValue.fresh) return null;
          const base = baseKey(requestContext);
          const caller = requestContext.contextValue.caller;
          const entry = (await cache.get(publicKey(base, requestContext))) ?? (caller ? await cache.get(privateKey(base, caller)) : undefined);
          if (!entry) return null;
          const remaining = Math.max(1, Math.floor((entry.expiresAt - Date.now()) / 1000));
          requestContext.overallCachePolicy.replace({ maxAge: remaining, scope: entry.scope });
          entry.parsed ??= JSON.parse(entry.value) as unknown;
          servedFromCache = true;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: entry.parsed as Record<string, unknown> } },
          };
        },
        async willSendResponse(requestContext) {
          if (servedFromCache || requestContext.operation?.operation !== 'query') return;
          const { response } = requestContext;
          if (response.body.kind !== 'single' || response.body.singleResult.errors || !response.body.singleResult.data) return;
          const policy = requestContext.overallCachePolicy.policyIfCacheable();
          // An invalidation during this request may concern what it read: not stored, the next request refetches.
          const state = requestCacheState(requestContext.contextValue);
          // Stored only if nothing it was made from was read before an invalidation: neither during this request nor
          // by a shared fetch that had left before it.
          if (!policy || cache.epoch !== epoch || state.shared || [...state.fetchEpochs].some((fetchEpoch) => fetchEpoch !== epoch)) return;
          const caller = requestContext.contextValue.caller;
          const base = baseKey(requestContext);
          const key = policy.scope === 'PUBLIC' ? publicKey(base, requestContext) : caller ? privateKey(base, caller) : undefined;
          if (!key) return;
          const data = response.body.singleResult.data;
          await cache.set(key, {
            value: JSON.stringify(data),
            parsed: data,
            scope: policy.scope,
            ttlSeconds: policy.maxAge,
            tags: [...state.tags],
          });
        },
      };
    },
  };
}

function baseKey(requestContext: GraphQLRequestContext<GatewayContext>): string {
  const { request, queryHash } = requestContext;
  // Keys stay short in memory and in Redis whatever the client sends: variables up to the body limit, an
  // operation name as long as the document.
  return `r|${queryHash ?? ''}|${bounded(request.operationName ?? '', 64)}|${bounded(JSON.stringify(request.variables ?? {}), 256)}`;
}

function bounded(text: string, max: number): string {
  return text.length > max ? createHash('sha256').update(text).digest('base64url') : text;
}

/**
 * A PRIVATE entry's key names who may read it as resolvers decide it: the caller's `sub` and roles (sorted, so the
 * order a token lists them in does not matter), hashed to keep keys short whatever a token carries.
 */
function privateKey(base: string, caller: NonNullable<GatewayContext['caller']>): string {
  const who = createHash('sha256').update(JSON.stringify([caller.sub, [...caller.roles].sort()])).digest('base64url');
  return `${base}|user:${who}`;
}

function publicKey(base: string, requestContext: GraphQLRequestContext<GatewayContext>): string {
  return `${base}|${isAdmin(requestContext.contextValue.caller) ? 'admin' : 'all'}`;
}
