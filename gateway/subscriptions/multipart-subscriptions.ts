import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import { ErrorCode, UnauthenticatedError } from '../../lib/ddd';
import type { Logger } from '../../lib/logging';
import type { HttpStep } from '../http/exchange';
import { sendError } from '../http/send-error';
import { formatResult, type ErrorFormatter } from './format-result';
import { prepareOperation } from './prepare-operation';
import type { SubscriptionExecutor } from './subscription-executor';
import { holdingSlot, type SubscriptionSlots } from './subscription-slots';
import { atTime } from './token-expiry';

export interface MultipartOptions {
  readonly schema: () => GraphQLSchema;
  readonly executor: SubscriptionExecutor;
  /** Subscriptions per caller and per address, shared with graphql-ws. */
  readonly slots: SubscriptionSlots;
  /** The streams open now: the gateway ends them when it stops. */
  readonly streams: OpenStreams;
  readonly formatError: ErrorFormatter;
  readonly logger: Logger;
  /** Production: validation errors without "Did you mean" suggestions. */
  readonly hideSchemaDetails: boolean;
  /** Empty `{}` parts keep intermediaries from closing an idle stream (Apollo's protocol sends them every 5 s). */
  readonly heartbeatMs?: number;
}

const BOUNDARY = 'graphql';
const PART_HEADER = 'Content-Type: application/json; charset=utf-8\r\n\r\n';

export function acceptsMultipartSubscriptions(accept: string | undefined): boolean {
  return accept !== undefined && /multipart\/mixed/i.test(accept) && /subscriptionSpec\s*=\s*"?1\.0"?/i.test(accept);
}

/** The answer to a subscription sent as a plain POST. */
export const SUBSCRIPTION_TRANSPORT_ERROR = {
  errors: [
    {
      message: 'subscriptions are served over WebSocket (graphql-transport-ws) or with Accept: multipart/mixed;subscriptionSpec="1.0"',
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    },
  ],
};

/** A final part that tells a client why its stream ends, as the protocol carries transport errors. */
export type FinalPart = { readonly payload: null; readonly errors: readonly { message: string; extensions: { code: string } }[] };

/** The multipart streams being served, so that stopping the gateway can end each with a final part. */
export class OpenStreams {
  private readonly ends = new Set<(part: FinalPart) => void>();

  add(end: (part: FinalPart) => void): () => void {
    this.ends.add(end);
    return () => this.ends.delete(end);
  }

  endAll(part: FinalPart): void {
    for (const end of [...this.ends]) end(part);
  }
}

/**
 * Subscriptions over HTTP multipart (Apollo's "multipart HTTP protocol for GraphQL subscriptions", which Apollo
 * Client's plain HttpLink speaks): `Accept: multipart/mixed;subscriptionSpec="1.0"` on a POST. Every update is a
 * part `{"payload": <result>}`; transport failures end the stream with `{"payload": null, "errors": [...]}`. A step
 * of the /graphql pipeline, after the edge admitted the document: other operations go on to Apollo Server, and so
 * does a subscription that does not validate (Apollo Server reports it as it reports any invalid request).
 */
export function multipartSubscriptions(options: MultipartOptions): HttpStep {
  const heartbeatMs = options.heartbeatMs ?? 5000;
  return async ({ req, res, admission, correlationId, address }) => {
    if (req.method !== 'POST' || !admission?.ok || admission.operation?.operation !== OperationTypeNode.SUBSCRIPTION) return false;
    const prepared = prepareOperation(options.schema(), admission, { hideSchemaDetails: options.hideSchemaDetails });
    if (Array.isArray(prepared)) return false;
    if (!acceptsMultipartSubscriptions(req.headers.accept)) {
      res.statusCode = 400;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(SUBSCRIPTION_TRANSPORT_ERROR));
      return true;
    }
    // The client may leave while the subscription is being set up (token verification, then the access check, a
    // supergraph query): a close that happened before the listener below existed would never be seen, and the
    // feed listener and the heartbeat would outlive the request, so the socket is checked too.
    let clientGone = false;
    let release: () => void = () => undefined;
    res.on('close', () => {
      clientGone = true;
      release();
    });
    const gone = () => clientGone || req.socket.destroyed;

    const caller = admission.caller;
    if (caller === null) {
      sendError(res, new UnauthenticatedError('subscriptions need a signed-in caller: send Authorization: Bearer <token>'));
      return true;
    }
    // Gone already: no access check, which would be a supergraph query for nobody.
    if (gone()) return true;
    const slot = options.slots.acquire(caller.sub, address);
    if (typeof slot !== 'function') {
      sendError(res, slot);
      return true;
    }

    const result = holdingSlot(
      await options.executor.subscribe({
        document: prepared.document,
        variableValues: prepared.variables,
        operationName: prepared.operationName,
        contextValue: { caller, correlationId, logger: options.logger },
      }).catch((error: unknown) => {
        slot();
        throw error;
      }),
      slot,
    );
    if (gone()) {
      if (Symbol.asyncIterator in result) await result.return(undefined);
      return true;
    }

    res.statusCode = 200;
    res.setHeader('content-type', `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`);
    res.setHeader('cache-control', 'no-cache, no-store');
    res.flushHeaders();
    // Each part ends with the next delimiter, so a client parses it as soon as it arrives (RFC 2046 5.1.1).
    res.write(`\r\n--${BOUNDARY}`);
    const writePart = (value: unknown) => res.write(`\r\n${PART_HEADER}${JSON.stringify(value)}\r\n--${BOUNDARY}`);
    const end = () => {
      if (!res.writableEnded) res.end('--\r\n');
    };

    if (!(Symbol.asyncIterator in result)) {
      // Refused at subscribe time (FORBIDDEN, NOT_FOUND...): one part with the errors, then the end.
      writePart({ payload: formatResult(result, options.formatError) });
      end();
      return true;
    }

    const heartbeat = setInterval(() => writePart({}), heartbeatMs);
    // The stream ends early with a final part: the caller's token expired, or the gateway is stopping.
    let stopped = false;
    const stop = (part: FinalPart) => {
      if (stopped) return;
      stopped = true;
      if (!clientGone) writePart(part);
      void result.return(undefined);
    };
    const expiry = atTime(caller.expiresAt * 1000, () =>
      stop({ payload: null, errors: [{ message: 'the token has expired: subscribe again with a fresh one', extensions: { code: ErrorCode.UNAUTHENTICATED } }] }),
    );
    const forget = options.streams.add(stop);
    release = () => {
      clearInterval(heartbeat);
      expiry.cancel();
      forget();
      void result.return(undefined);
    };
    try {
      for await (const update of result) {
        if (clientGone || stopped) break;
        writePart({ payload: formatResult(update, options.formatError) });
      }
    } catch (error) {
      options.logger.error({ err: error, correlationId }, 'multipart subscription failed');
      if (!clientGone) {
        writePart({ payload: null, errors: [{ message: `Internal server error (correlation id ${correlationId})`, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
      }
    } finally {
      clearInterval(heartbeat);
      expiry.cancel();
      forget();
      end();
    }
    return true;
  };
}
