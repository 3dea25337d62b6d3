import type { IncomingMessage, Server } from 'node:http';
import { CloseCode, type Disposable } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { GraphQLError, print, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import type { VerifiedIdentity } from '../../lib/auth';
import { ErrorCode, RateLimitedError } from '../../lib/ddd';
import { CORRELATION_HEADER, correlationIdFrom, RequestDeadline, runWithContext, type Logger } from '../../lib/logging';
import type { Edge } from '../edge/admission';
import type { GatewayContext } from '../gateway-context';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { formatErrors, formatResult, type ErrorFormatter } from './format-result';
import { admitAndPrepare, edgeRefusal } from './prepare-operation';
import type { FederatedExecutor, SubscriptionExecutor } from './subscription-executor';
import { logSocketErrors } from './socket-errors';
import { holdingSlot, type SubscriptionSlots } from './subscription-slots';
import { atTime } from './token-expiry';

export interface WebSocketServerOptions {
  readonly path: string;
  readonly schema: () => GraphQLSchema;
  readonly executor: SubscriptionExecutor;
  /** Subscriptions per caller and per address, shared with multipart HTTP. */
  readonly slots: SubscriptionSlots;
  /** Queries and mutations sent over the socket run through the supergraph like HTTP ones. */
  readonly execute: FederatedExecutor;
  readonly formatError: ErrorFormatter;
  /** Identifies the caller when the socket opens, then limits and measures every operation, as on HTTP. */
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
  /** REQUEST_TIMEOUT_MS: the deadline of each query and mutation sent over a socket, as over HTTP. */
  readonly requestTimeoutMs: number;
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
  /**
   * Closes every socket and stops serving: with 1012 (service restart, RFC 6455 7.4.1 as registered by IANA) when the
   * gateway restarts, so clients reconnect, to another instance or to this one once it is back.
   */
  close(code?: number, reason?: string): Promise<void>;
}

/** RFC 6455 close code 1012: the service is restarting; a client may reconnect. */
export const SERVICE_RESTART = 1012;
/** RFC 6455 close code 1013: try again later (the caller or address is over its rate budget). */
const TRY_AGAIN_LATER = 1013;

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
  /** The subscription slot each subscribing operation holds, by its context object (gateway/subscriptions/subscription-slots.ts). */
  const slots = new WeakMap<object, () => void>();
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
        const address = options.addressOf(ctx.extra.request);
        let identified: Awaited<ReturnType<Edge['identify']>>;
        try {
          // The edge's identification, as before an HTTP body is read: a bad token spends a point of the address.
          identified = await options.edge.identify(authorizationOf(ctx.connectionParams, ctx.extra), address);
        } catch (error) {
          // E.g. the JWKS endpoint unreachable: logged here; the client learns only that the server failed.
          options.logger.error({ err: error }, 'could not authenticate a WebSocket connection');
          ctx.extra.socket.close(CloseCode.InternalServerError, 'Internal server error');
          return false;
        }
        if (!identified.ok && identified.error instanceof RateLimitedError) {
          ctx.extra.socket.close(TRY_AGAIN_LATER, 'Try again later');
          return false;
        }
        const caller = identified.ok ? identified.caller : null;
        if (caller === null) {
          // graphql-ws would close with 4403; a missing or bad token is 4401 Unauthorized.
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        const correlationId = correlationIdFrom(ctx.extra.request.headers[CORRELATION_HEADER]);
        const state = stateOf(ctx);
        state.context = { caller, correlationId, logger: options.logger, address };
        state.caller = caller;
        state.address = address;
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
        // Each operation its own context object, so a subscription's slot travels with it to `subscribe`.
        const contextValue: GatewayContext = { ...context };
        if (prepared.operation.operation === 'subscription') {
          const slot = options.slots.acquire(caller.sub, state.address ?? 'unknown');
          if (typeof slot !== 'function') return [edgeRefusal(slot)];
          slots.set(contextValue, slot);
        }
        const args: ExecutionArgs = {
          schema: options.schema(),
          document: prepared.document,
          variableValues: prepared.variables,
          operationName: prepared.operationName,
          contextValue,
        };
        return args;
      },
      subscribe: async (args) => {
        const contextValue = args.contextValue as GatewayContext;
        const release = slots.get(contextValue) ?? (() => undefined);
        try {
          const result = await runWithContext({ correlationId: contextValue.correlationId }, () =>
            options.executor.subscribe({
              document: args.document,
              variableValues: args.variableValues ?? undefined,
              operationName: args.operationName ?? undefined,
              contextValue,
            }),
          );
          return holdingSlot(result, release);
        } catch (error) {
          release();
          throw error;
        }
      },
      execute: async (args) => {
        // A query or mutation over a socket has the same deadline as over HTTP.
        const deadline = new RequestDeadline(options.requestTimeoutMs);
        try {
          const result = await options.execute(
            {
              query: print(args.document),
              variables: (args.variableValues ?? {}) as Record<string, unknown>,
              operationName: args.operationName ?? undefined,
            },
            { ...(args.contextValue as GatewayContext), deadline },
          );
          // Already formatted by Apollo Server; graphql-ws passes it to onNext, which leaves formatted errors alone.
          return result as ExecutionResult;
        } finally {
          deadline.dispose();
        }
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result, options.formatError),
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors, options.formatError),
    },
    wss,
    options.keepAliveMs,
  );
  logSocketErrors(wss, options.logger);

  return {
    server: wss,
    connections: () => wss.clients.size,
    async close(code = 1001, reason = 'Going away') {
      // graphql-ws's dispose closes with 1001; a restart says 1012, so clients reconnect rather than give up.
      if (code !== 1001) for (const socket of wss.clients) socket.close(code, reason);
      await disposable.dispose();
    },
  };
}
