import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import type { Caller } from '../auth';
import { ErrorCode } from '../ddd';
import type { Logger } from '../logging';
import { callerFromSignedRequest, type BaseSubgraphContext, type RequestSigning } from './subgraph-server';

declare module 'express-serve-static-core' {
  interface Request {
    /** The body exactly as received, kept by the JSON parser: identity signatures cover these bytes. */
    rawBody?: Buffer;
  }
}

/** The verified caller of an Express request (see callerFromSignedRequest). */
export function callerFromRequest(req: Request, signing: RequestSigning, logger: Logger): Caller {
  return callerFromSignedRequest(req.headers, { method: req.method, path: req.originalUrl, body: req.rawBody }, signing, logger);
}

/** Mounts a started ApolloServer on `/graphql` of a subgraph's service app (the gateway has its own pipeline). */
export function mountGraphQL<TContext extends BaseSubgraphContext>(
  app: Express,
  server: ApolloServer<TContext>,
  context: (req: Request) => Promise<TContext>,
  /** Largest request body read, in bytes (1 MiB by default); larger ones are refused with 413 before any parsing. */
  bodyLimitBytes: number = BODY_LIMIT_BYTES,
): void {
  app.use(
    '/graphql',
    express.json({
      limit: bodyLimitBytes,
      // The signature is over the bytes sent; re-serialising the parsed body would not reproduce them.
      verify: (req, _res, buffer) => {
        (req as Request).rawBody = buffer;
      },
    }),
    bodyParserErrors(bodyLimitBytes),
    expressMiddleware(server, { context: ({ req }) => context(req) }),
  );
}

const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A body that body-parser cannot read (malformed JSON, too large, unknown charset) is not a GraphQL request: answer
 * it in GraphQL's error shape with Apollo Server's BAD_REQUEST, as the gateway does. Left to Express, it would reach the default handler, whose development page
 * prints the stack trace and file paths (docs/architecture.md §2: internals never reach a client).
 */
const bodyParserErrors = (limitBytes: number): ErrorRequestHandler => (error: unknown, req, res, next) => {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) {
    next(error);
    return;
  }
  const message =
    type === 'entity.parse.failed'
      ? 'the request body is not valid JSON'
      : type === 'entity.too.large'
        ? `the request body is larger than ${limitBytes} bytes`
        : `the request body could not be read (${typeof type === 'string' ? type : `HTTP ${status}`})`;
  res.status(status).json({ errors: [{ message, extensions: { code: ErrorCode.BAD_REQUEST, correlationId: req.correlationId } }] });
};
