import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from '../gateway-context';
import { requestCacheState } from './request-cache-state';

/**
 * Identical queries of the same caller in flight at once are executed once: the first runs, the others wait for its
 * result (Hive Gateway's inbound dedupe does the same). The key is the caller's identity (sub and roles, never the
 * token or signature), the document's hash, the operation name and the variables; mutations always run. A result
 * is shared only while its execution is in flight, so it is never older than the requests that overlap it; an
 * operation whose reads must begin after it did (GatewayContext.fresh) is never folded into one.
 * The subgraph data sources dedupe the fetches of different operations that happen to overlap.
 */
export function inflightOperationsPlugin(): ApolloServerPlugin<GatewayContext> {
  const inflight = new Map<string, Promise<FormattedExecutionResult>>();
  return {
    async requestDidStart() {
      let settle: ((result: FormattedExecutionResult) => void) | undefined;
      let key: string | undefined;
      return {
        async responseForOperation(requestContext) {
          // Incremental delivery (@defer over multipart) streams its own parts: not shared.
          if (requestContext.operation?.operation !== 'query' || /multipart\/mixed/i.test(requestContext.request.http?.headers.get('accept') ?? '')) return null;
          // A fresh operation's reads begin after it did: it joins no execution already in flight (GatewayContext.fresh).
          if (requestContext.contextValue.fresh) return null;
          const caller = requestContext.contextValue.caller;
          key = `${caller ? JSON.stringify([caller.sub, caller.roles]) : 'anonymous'}|${requestContext.queryHash}|${requestContext.request.operationName ?? ''}|${JSON.stringify(requestContext.request.variables ?? {})}`;
          const leader = inflight.get(key);
          if (leader) {
            key = undefined;
            requestCacheState(requestContext.contextValue).shared = true;
            const result = await leader;
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { ...result } } };
          }
          inflight.set(key, new Promise<FormattedExecutionResult>((resolve) => (settle = resolve)));
          return null;
        },
        async willSendResponse({ response }) {
          if (!key || !settle) return;
          inflight.delete(key);
          settle(response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'incremental delivery is not shared' }] });
        },
      };
    },
  };
}
