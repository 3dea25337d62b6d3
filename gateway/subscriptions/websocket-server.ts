import type { IncomingMessage, Server } from 'node:http';
import { CloseCode, type Disposable } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { GraphQLError, print, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import type { TokenVerifier, VerifiedIdentity } from '../../lib/auth';
import { AppError, ErrorCode, RateLimitedError } from '../../lib/ddd';
import { correlationIdFrom, runWithContext, type Logger } from '../../lib/logging';
import { authenticate } from '../authenticate';
import type { Edge } from '../edge/admission';
import type { GatewayContext } from '../gateway-context';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { formatErrors, formatResult, type ErrorFormatter } from './format-result';
import { admitAndPrepare, edgeRefusal } from './prepare-operation';
import type { FederatedExecutor, SubscriptionExecutor } from './subscription-executor';
import { atTime } from './token-expiry';

export interface WebSocketServerOptions {
  readonly path: string;
  readonly schema: () => GraphQLSchema;
  readonly verifyToken: TokenVerifier;
  readonly executor: SubscriptionExecutor;
  /** Queries and mutations sent over the socket run through the supergraph like HTTP ones. */
  readonly execute: FederatedExecutor;
  readonly formatError: ErrorFormatter;
  /** Identifies, limits and measures every operation, as on HTTP. */
  readonly edge: Edge;
  readonly rateLimiter: RateLimiter;
  /** The client's address (X-Forwarded-For only from trusted proxies). */
  readonly addressOf: (request: IncomingMessage) => string;
  /** Open connections per address on this instance, and `subscribe` messages per minute per connection. */
  readonly connectionsPerAddress: number;
  readonly subscribesPerConnectionPerMinute: number;
  /** Production: validation errors without "Did you mean" suggestions. */
  readonly hideSchemaDetails: boolean;
  /** Largest message read (ws closes the socket with 1009 beyond it); 1 MiB by default. */
  readonly maxPayloadBytes?: number;
  readonly maxSubscriptionsPerConnection: number;
  readonly keepAliveMs: number;
  readonly logger: Logger;
}

interface ConnectionState {
  context?: GatewayContext;
  caller?: VerifiedIdentity;
  address?: string;
  /** Ends the connection when the caller's token expires. */
  expiry?: { cancel(): void };
  /** `subscribe` messages in the current minute. */
  windowStart: number;
  subscribes: number;
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
  const limiting = options.rateLimiter.enabled;
  const openByAddress = new Map<string, number>();
  const wss = new WebSocketServer({
    server: httpServer,
    path: options.path,
    maxPayload: options.maxPayloadBytes ?? 1024 * 1024,
    // Refused at the upgrade, before any socket is kept: too many connections from one address on this instance.
    verifyClient: (info, callback) => {
      if (!limiting) return callback(true);
      const address = options.addressOf(info.req);
      if ((openByAddress.get(address) ?? 0) >= options.connectionsPerAddress) {
        options.rateLimiter.rejected('wsConnections');
        callback(false, 429, `at most ${options.connectionsPerAddress} WebSocket connections per address`, { 'retry-after': '60' });
        return;
      }
      callback(true);
    },
  });
  if (limiting) {
    wss.on('connection', (socket, request) => {
      const address = options.addressOf(request);
      openByAddress.set(address, (openByAddress.get(address) ?? 0) + 1);
      socket.once('close', () => {
        const left = (openByAddress.get(address) ?? 1) - 1;
        if (left <= 0) openByAddress.delete(address);
        else openByAddress.set(address, left);
      });
    });
  }
  const states = new WeakMap<object, ConnectionState>();
  const stateOf = (ctx: object): ConnectionState => {
    let state = states.get(ctx);
    if (!state) {
      state = { windowStart: Date.now(), subscribes: 0 };
      states.set(ctx, state);
    }
    return state;
  };

  const disposable: Disposable = useServer<Record<string, unknown>, Record<PropertyKey, never>>(
    {
      schema: () => options.schema(),
      onConnect: async (ctx) => {
        let caller: VerifiedIdentity | null;
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
        const state = stateOf(ctx);
        state.context = { caller, correlationId, logger: options.logger };
        state.caller = caller;
        state.address = options.addressOf(ctx.extra.request);
        // The connection lives no longer than the token that opened it: 4403 at `exp` (the client reconnects with a
        // fresh token). graphql-ws completes every subscription of a closed socket.
        const socket = ctx.extra.socket;
        state.expiry = atTime(caller.expiresAt * 1000, () => socket.close(CloseCode.Forbidden, 'Token expired'));
        socket.once('close', () => state.expiry?.cancel());
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const state = stateOf(ctx);
        const { context, caller } = state;
        if (!context || !caller) return [new GraphQLError('not authenticated', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        if (limiting) {
          const now = Date.now();
          if (now - state.windowStart >= 60_000) {
            state.windowStart = now;
            state.subscribes = 0;
          }
          state.subscribes += 1;
          if (state.subscribes > options.subscribesPerConnectionPerMinute) {
            const retryAfterSeconds = Math.ceil((state.windowStart + 60_000 - now) / 1000);
            options.rateLimiter.rejected('wsSubscribesPerConnection');
            return [edgeRefusal(new RateLimitedError(`too many subscribe messages: at most ${options.subscribesPerConnectionPerMinute} per minute on one connection; retry in ${retryAfterSeconds} s`, retryAfterSeconds))];
          }
          const address = state.address ?? 'unknown';
          const limited = options.rateLimiter.blocked('wsSubscribe', address) ?? (await options.rateLimiter.consume('wsSubscribe', address, 1));
          if (limited) return [edgeRefusal(limited)];
        }
        // `ctx.subscriptions` already holds the new id when this runs.
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`at most ${options.maxSubscriptionsPerConnection} operations at a time per connection`, {
              extensions: { code: ErrorCode.BAD_USER_INPUT },
            }),
          ];
        }
        const prepared = await admitAndPrepare(options.edge, options.schema, { ...payload, address: state.address ?? 'unknown' }, caller, {
          hideSchemaDetails: options.hideSchemaDetails,
        });
        if (Array.isArray(prepared)) return prepared;
        const args: ExecutionArgs = {
          schema: options.schema(),
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
