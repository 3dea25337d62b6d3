import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Histogram } from 'prom-client';
import { ErrorCode } from '../../lib/ddd';
import { readBody } from '../../lib/http/read-body';
import { CORRELATION_HEADER, correlationIdFrom, RequestDeadline, type Logger } from '../../lib/logging';
import { trace } from '@opentelemetry/api';
import { ATTR, inService } from '../../lib/telemetry';
import type { Caller } from '../edge/admission';
import type { HttpAdmission } from '../edge/http-admission';
import type { GatewayContext } from '../gateway-context';
import { acceptsMultipartSubscriptions } from '../subscriptions/multipart-subscriptions';

/** The request as the steps before execution see it: parsed, with its correlation id and deadline. */
export interface GraphQLHttpRequest {
  readonly req: IncomingMessage;
  readonly correlationId: string;
  /** The parsed body; a step may replace it (the edge hands on a persisted document as text). */
  body: unknown;
  /** The request target (path and query string); a step may replace it, as the body. */
  url: string;
  /** The caller the edge identified before the body was read (gateway/edge/http-edge.ts). */
  identified?: { readonly caller: Caller };
  /** What the edge admitted (gateway/edge/http-edge.ts). */
  admission?: HttpAdmission;
  /** REQUEST_TIMEOUT_MS for this request: subgraph fetches are aborted with it (lib/logging/request-deadline.ts). */
  readonly deadline: RequestDeadline;
}

/**
 * A step before execution (the edge: identity, rate limits, trusted documents, limits): it answers the request
 * itself and returns true to stop it, or returns false to let it continue. Steps run in order, after CORS and body
 * parsing, before Apollo Server.
 */
export type PreExecutionStep = (request: GraphQLHttpRequest, res: ServerResponse) => boolean | Promise<boolean>;

export interface GraphQLRequestListenerOptions {
  readonly server: ApolloServer<GatewayContext>;
  readonly context: (request: GraphQLHttpRequest) => Promise<GatewayContext>;
  /** The CORS policy of /graphql (the same middleware the Express app mounts). */
  readonly cors: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
  readonly logger: Logger;
  readonly steps?: readonly PreExecutionStep[];
  /** Steps before the body is read (identity and rate budget: refusing there costs no parsing). */
  readonly beforeBody?: readonly PreExecutionStep[];
  /** Everything else: health, metrics, the landing page, multipart subscriptions, static files. */
  readonly fallback: RequestListener;
  /** The largest body read (gateway/limits/query-limits.ts requestSizeLimit); larger is refused before JSON parsing. */
  readonly bodyLimitBytes: number;
  /** REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs: number;
}

/**
 * GraphQL queries and mutations over HTTP straight into Apollo Server, without Express routing, pino-http and the
 * implicit AsyncLocalStorage context, which the gateway's CPU profile showed costing more than a third of each
 * request. The correlation id travels in the GraphQL context instead. The behaviour matches the Express route:
 * same CORS, body limit and errors, correlation id header, request metrics and error logs.
 */
export function graphqlRequestListener(options: GraphQLRequestListenerOptions): RequestListener {
  const steps = options.steps ?? [];
  return (req, res) => {
    if (!servesFast(req)) {
      options.fallback(req, res);
      return;
    }
    const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, correlationId);
    const started = performance.now();
    const method = req.method ?? 'GET';
    const deadline = new RequestDeadline(options.requestTimeoutMs);
    res.on('finish', () => {
      options.duration.observe({ method, route: '/graphql', status: String(res.statusCode) }, (performance.now() - started) / 1000);
      if (res.statusCode >= 500) options.logger.error({ correlationId, req: { method, url: req.url }, res: { statusCode: res.statusCode } }, 'request failed');
      else if (options.logger.isLevelEnabled('debug')) options.logger.debug({ correlationId, req: { method, url: req.url }, res: { statusCode: res.statusCode } }, 'request completed');
    });
    res.on('close', () => {
      // Closed before the response was complete: the client gave up, and so do the subgraph fetches made for it.
      if (!res.writableFinished) deadline.abandon('the client closed the connection before the response was sent');
      deadline.dispose();
    });
    // The request's span is the gateway's (one process may run every service: lib/telemetry/service-scope.ts).
    inService('gateway', () => {
      trace.getActiveSpan()?.setAttribute(ATTR.correlationId, correlationId);
      options.cors(req, res, () => {
        void handle(req, res, correlationId, deadline).catch((error: unknown) => {
          options.logger.error({ err: error, correlationId }, 'unexpected error while serving a GraphQL request');
          if (!res.headersSent) sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, `Internal server error (correlation id ${correlationId})`, correlationId);
          else res.destroy();
        });
      });
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, correlationId: string, deadline: RequestDeadline): Promise<void> {
    const request: GraphQLHttpRequest = { req, correlationId, body: undefined, url: req.url ?? '', deadline };
    for (const step of options.beforeBody ?? []) {
      if (await step(request, res)) {
        // Answered without reading the body: let it drain, unparsed.
        req.resume();
        return;
      }
    }
    let body: unknown;
    if (req.method === 'POST') {
      const read = await readBody(req, options.bodyLimitBytes);
      if (read.kind === 'too-large') return sendError(res, 413, ErrorCode.BAD_USER_INPUT, `the request body is larger than ${options.bodyLimitBytes} bytes`, correlationId);
      if (read.kind === 'failed') return sendError(res, 400, ErrorCode.BAD_USER_INPUT, 'the request body could not be read', correlationId);
      if (isJson(req.headers['content-type']) && read.bytes.length > 0) {
        try {
          body = JSON.parse(read.bytes.toString('utf8'));
        } catch {
          return sendError(res, 400, ErrorCode.BAD_USER_INPUT, 'the request body is not valid JSON', correlationId);
        }
      }
    }
    request.body = body;
    for (const step of steps) if (await step(request, res)) return;

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = request.url;
    const queryAt = url.indexOf('?');
    const response = await options.server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: queryAt >= 0 ? url.slice(queryAt) : '', body: request.body },
      context: () => options.context(request),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

/** POST and GET operations on /graphql; the landing page, preflights and multipart subscriptions take the Express route. */
function servesFast(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  const path = url.indexOf('?') >= 0 ? url.slice(0, url.indexOf('?')) : url;
  if (path !== '/graphql' && path !== '/graphql/') return false;
  if (req.method === 'POST') return !acceptsMultipartSubscriptions(req.headers.accept);
  return req.method === 'GET' && (url.includes('query=') || url.includes('extensions='));
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(graphql-response\+)?json\b/i.test(contentType.trim());
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, correlationId: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, correlationId } }] }));
}
