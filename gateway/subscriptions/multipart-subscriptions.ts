import type { NextFunction, Request, Response } from 'express';
import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import { ErrorCode, UnauthenticatedError } from '../../lib/ddd';
import type { Logger } from '../../lib/logging';
import { sendError } from '../edge/http-edge';
import type { PreExecutionStep } from '../http/graphql-request-listener';
import { formatResult, type ErrorFormatter } from './format-result';
import { prepareOperation } from './prepare-operation';
import type { SubscriptionExecutor } from './subscription-executor';
import { atTime } from './token-expiry';

export interface MultipartOptions {
  readonly schema: () => GraphQLSchema;
  readonly executor: SubscriptionExecutor;
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

/**
 * Subscriptions over HTTP multipart (Apollo's "multipart HTTP protocol for GraphQL subscriptions", which Apollo
 * Client's plain HttpLink speaks): `Accept: multipart/mixed;subscriptionSpec="1.0"` on a POST. Every update is
 * a part `{"payload": <result>}`; transport failures end the stream with `{"payload": null, "errors": [...]}`.
 * Other requests fall through to Apollo Server.
 */
export function multipartSubscriptions(options: MultipartOptions) {
  const heartbeatMs = options.heartbeatMs ?? 5000;
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // The edge (gateway/edge/http-edge.ts) ran first: it parsed and measured the document, and identified the caller.
    const admission = req.graphqlAdmission;
    if (req.method !== 'POST' || !admission?.ok || admission.operation?.operation !== OperationTypeNode.SUBSCRIPTION) return next();
    const schema = options.schema();
    const prepared = prepareOperation(schema, admission, { hideSchemaDetails: options.hideSchemaDetails });
    // Not a valid subscription: Apollo Server answers (and reports errors) as for any request.
    if (Array.isArray(prepared)) return next();
    if (!acceptsMultipartSubscriptions(req.get('accept'))) {
      res.status(400).json(SUBSCRIPTION_TRANSPORT_ERROR);
      return;
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
    if (caller === null) return sendError(res, new UnauthenticatedError('subscriptions need a signed-in caller: send Authorization: Bearer <token>'));
    // Gone already: no access check, which would be a supergraph query for nobody.
    if (gone()) return;

    const result = await options.executor.subscribe({
      document: prepared.document,
      variableValues: prepared.variables,
      operationName: prepared.operationName,
      contextValue: { caller, correlationId: req.correlationId, logger: options.logger },
    });
    if (gone()) {
      if (Symbol.asyncIterator in result) await result.return?.();
      return;
    }

    res.status(200);
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
      return;
    }

    const heartbeat = setInterval(() => writePart({}), heartbeatMs);
    // The caller's token ends the stream when it expires: a final part with the error, then the closing delimiter.
    let expired = false;
    const expiry = atTime(caller.expiresAt * 1000, () => {
      expired = true;
      if (!clientGone) writePart({ payload: null, errors: [{ message: 'the token has expired: subscribe again with a fresh one', extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
      void result.return?.();
    });
    release = () => {
      clearInterval(heartbeat);
      expiry.cancel();
      void result.return?.();
    };
    try {
      for await (const update of result) {
        if (clientGone || expired) break;
        writePart({ payload: formatResult(update, options.formatError) });
      }
    } catch (error) {
      options.logger.error({ err: error }, 'multipart subscription failed');
      if (!clientGone) {
        writePart({ payload: null, errors: [{ message: `Internal server error (correlation id ${req.correlationId})`, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
      }
    } finally {
      clearInterval(heartbeat);
      expiry.cancel();
      end();
    }
  };
}

/**
 * The lean /graphql route's step for subscriptions: multipart ones never reach it (they take the Express route), so
 * a subscription the edge admitted here was sent as a plain POST, and is answered as the Express route answers it.
 */
export function plainPostSubscriptions(): PreExecutionStep {
  return ({ admission }, res) => {
    if (!admission?.ok || admission.operation?.operation !== OperationTypeNode.SUBSCRIPTION) return false;
    res.statusCode = 400;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(SUBSCRIPTION_TRANSPORT_ERROR));
    return true;
  };
}
