import type { Server } from 'node:http';
import { CloseCode, type Disposable } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { GraphQLError, print, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import type { Caller, TokenVerifier } from '../../lib/auth';
import { AppError, ErrorCode } from '../../lib/ddd';
import { correlationIdFrom, runWithContext, type Logger } from '../../lib/logging';
import { authenticate } from '../authenticate';
import type { GatewayContext } from '../gateway-context';
import type { QueryLimits } from '../query-limits';
import { formatErrors, formatResult, type ErrorFormatter } from './format-result';
import { prepareOperation } from './prepare-operation';
import type { FederatedExecutor, SubscriptionExecutor } from './subscription-executor';

export interface WebSocketServerOptions {
  readonly path: string;
  readonly schema: () => GraphQLSchema;
  readonly verifyToken: TokenVerifier;
  readonly executor: SubscriptionExecutor;
  /** Queries and mutations sent over the socket run through the supergraph like HTTP ones. */
  readonly execute: FederatedExecutor;
  readonly formatError: ErrorFormatter;
  readonly limits: QueryLimits;
  readonly maxSubscriptionsPerConnection: number;
  readonly keepAliveMs: number;
  readonly logger: Logger;
}

interface ConnectionState {
  context?: GatewayContext;
}

export interface GraphQLWebSocketServer {
  readonly server: WebSocketServer;
  /** Open sockets right now. */
  connections(): number;
  close(): Promise<void>;
}

/** The token from `connection_init` ({ authorization: "Bearer ..." }) or, failing that, from the upgrade request. */
function authorizationOf(params: Record<string, unknown> | undefined, extra: Extra): string | undefined {
  const fromParams = params?.['authorization'] ?? params?.['Authorization'];
  if (typeof fromParams === 'string') return fromParams;
  const header = extra.request.headers.authorization;
  return typeof header === 'string' ? header : undefined;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the gateway's /graphql path, as Apollo Client's GraphQLWsLink and Apollo
 * Sandbox speak it. A connection without a valid token is closed with 4401; each subscription is authorized on
 * its own, so a FORBIDDEN one leaves the connection usable. The protocol library closes the socket with its own
 * codes on malformed messages.
 */
export function attachWebSocketServer(httpServer: Server, options: WebSocketServerOptions): GraphQLWebSocketServer {
  const wss = new WebSocketServer({ server: httpServer, path: options.path, maxPayload: 1024 * 1024 });
  const states = new WeakMap<object, ConnectionState>();
  const stateOf = (ctx: object): ConnectionState => {
    let state = states.get(ctx);
    if (!state) {
      state = {};
      states.set(ctx, state);
    }
    return state;
  };

  const disposable: Disposable = useServer<Record<string, unknown>, Record<PropertyKey, never>>(
    {
      schema: () => options.schema(),
      onConnect: async (ctx) => {
        let caller: Caller;
        try {
          caller = await authenticate(options.verifyToken, authorizationOf(ctx.connectionParams, ctx.extra));
        } catch (error) {
          if (!(error instanceof AppError)) {
            // E.g. the JWKS endpoint unreachable: logged here; the client learns only that the server failed.
            options.logger.error({ err: error }, 'could not authenticate a WebSocket connection');
            ctx.extra.socket.close(CloseCode.InternalServerError, 'Internal server error');
            return false;
          }
          caller = null;
        }
        if (caller === null) {
          // graphql-ws would close with 4403; a missing or bad token is 4401 Unauthorized.
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        const correlationId = correlationIdFrom(ctx.extra.request.headers['x-correlation-id']);
        stateOf(ctx).context = { caller, correlationId, logger: options.logger };
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        const context = stateOf(ctx).context;
        if (!context) return [new GraphQLError('not authenticated', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        // `ctx.subscriptions` already holds the new id when this runs.
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`at most ${options.maxSubscriptionsPerConnection} operations at a time per connection`, {
              extensions: { code: ErrorCode.BAD_USER_INPUT },
            }),
          ];
        }
        const schema = options.schema();
        const prepared = prepareOperation(schema, payload, options.limits);
        if (Array.isArray(prepared)) return prepared;
        const args: ExecutionArgs = {
          schema,
          document: prepared.document,
          variableValues: prepared.variables,
          operationName: prepared.operationName,
          contextValue: context,
        };
        return args;
      },
      subscribe: (args) =>
        runWithContext({ correlationId: (args.contextValue as GatewayContext).correlationId }, () =>
          options.executor.subscribe({
            document: args.document,
            variableValues: args.variableValues ?? undefined,
            operationName: args.operationName ?? undefined,
            contextValue: args.contextValue as GatewayContext,
          }),
        ),
      execute: async (args) => {
        const context = args.contextValue as GatewayContext;
        const result = await options.execute(
          {
            query: print(args.document),
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            operationName: args.operationName ?? undefined,
          },
          context,
        );
        // Already formatted by Apollo Server; graphql-ws passes it to onNext, which leaves formatted errors alone.
        return result as ExecutionResult;
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result, options.formatError),
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors, options.formatError),
    },
    wss,
    options.keepAliveMs,
  );

  return {
    server: wss,
    connections: () => wss.clients.size,
    close: () => disposable.dispose() as Promise<void>,
  };
}
