import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '../ddd';
import { httpStatusOf } from '../http/status';

/**
 * HTTP 503 for an operation that produced nothing because a dependency did not answer (the request's deadline
 * passed, or the database gave up): clients, load balancers and retries treat it as "try again", which a 200
 * carrying only errors is not. Nothing produced: no data, or every root field null with a SERVICE_UNAVAILABLE
 * error of its own (`product(id:)` is nullable, yet its null then says nothing). A partial result keeps its 200:
 * part of the answer is there. For the gateway only: a subgraph answers its gateway 200 with the coded error,
 * which a non-2xx status would replace with a generic HTTP error.
 */
export function unavailableStatusPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const unavailable = (errors ?? []).filter((error) => error.extensions?.['code'] === ErrorCode.SERVICE_UNAVAILABLE);
          if (unavailable.length === 0) return;
          const nothing = data == null || Object.entries(data).every(([field, value]) => value === null && unavailable.some((error) => error.path?.[0] === field));
          if (nothing) response.http.status = httpStatusOf.SERVICE_UNAVAILABLE;
        },
      };
    },
  };
}
