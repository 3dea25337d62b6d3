import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import type { Histogram } from 'prom-client';
import { CORRELATION_HEADER, correlationIdFrom, RequestDeadline, type Logger } from '../../lib/logging';
import { ATTR, inService } from '../../lib/telemetry';
import type { Edge } from '../edge/admission';
import type { GatewayContext } from '../gateway-context';
import { admitStep } from './admit-step';
import { corsStep } from './cors-step';
import type { GraphQLExchange, HttpStep } from './exchange';
import { executeStep } from './execute-step';
import { identifyStep } from './identify-step';
import { readBodyStep } from './read-body-step';
import { sendInternalError } from './send-error';

export interface GraphQLRouteOptions {
  readonly server: ApolloServer<GatewayContext>;
  readonly edge: Edge;
  /** CORS_ORIGINS. */
  readonly corsOrigins: readonly string[] | '*';
  /** The largest body read (gateway/limits/query-limits.ts requestSizeLimit). */
  readonly bodyLimitBytes: number;
  /** Subscriptions over HTTP (gateway/subscriptions/multipart-subscriptions.ts), after admission, before execution. */
  readonly subscriptions: HttpStep;
  /** The GraphQL context of an admitted request. */
  readonly context: (exchange: GraphQLExchange) => Promise<GatewayContext>;
  readonly addressOf: (req: IncomingMessage) => string;
  /** `http_request_duration_seconds` of the service app, so /graphql is counted with every other route. */
  readonly duration: Histogram<'method' | 'route' | 'status'>;
  readonly logger: Logger;
  /** REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs: number;
  /** Everything that is not /graphql: health, metrics, the storefront, GraphiQL, demo tokens (the Express app). */
  readonly fallback: RequestListener;
  /** True while the gateway stops: answers ask the client to close the connection (gateway/http/draining.ts). */
  readonly draining: () => boolean;
}

/**
 * The one request pipeline of /graphql, for every HTTP request to it (POST and GET operations, multipart
 * subscriptions, preflights, the landing page), as one list of steps each doing one thing once:
 *
 *   CORS -> identify the caller (before the body is read) -> read the body (size limit) -> admit the operation (edge:
 *   rate limits, trusted documents, query limits) -> subscriptions over multipart -> Apollo Server
 *
 * Around them, in one place: the correlation id (accepted or generated, echoed), the request's deadline (abandoned
 * when the client leaves), its span marked as the gateway's, the request metric and the error log. It runs without
 * Express, pino-http or AsyncLocalStorage, which the gateway's CPU profile showed costing more than a third of each
 * request; the correlation id and deadline travel in the GraphQL context instead. graphql-ws shares the edge, the
 * error mapping and the body limit (gateway/subscriptions/websocket-server.ts).
 */
export function graphqlRoute(options: GraphQLRouteOptions): RequestListener {
  const steps: readonly HttpStep[] = [
    corsStep(options.corsOrigins),
    identifyStep(options.edge),
    readBodyStep(options.bodyLimitBytes),
    admitStep(options.edge),
    options.subscriptions,
    executeStep(options.server, options.context),
  ];
  const { duration, logger } = options;

  const run = async (exchange: GraphQLExchange): Promise<void> => {
    for (const step of steps) if (await step(exchange)) return;
  };

  return (req, res) => {
    if (!isGraphQLPath(req.url)) {
      options.fallback(req, res);
      return;
    }
    const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, correlationId);
    if (options.draining()) res.setHeader('connection', 'close');
    const started = performance.now();
    const method = req.method ?? 'GET';
    const deadline = new RequestDeadline(options.requestTimeoutMs);
    res.on('finish', () => {
      duration.observe({ method, route: '/graphql', status: String(res.statusCode) }, (performance.now() - started) / 1000);
      if (res.statusCode >= 500) logger.error({ correlationId, req: { method, url: req.url }, res: { statusCode: res.statusCode } }, 'request failed');
      else if (logger.isLevelEnabled('debug')) logger.debug({ correlationId, req: { method, url: req.url }, res: { statusCode: res.statusCode } }, 'request completed');
    });
    res.on('close', () => {
      // Closed before the response was complete: the client gave up, and so do the subgraph fetches made for it.
      if (!res.writableFinished) deadline.abandon('the client closed the connection before the response was sent');
      deadline.dispose();
    });
    const exchange: GraphQLExchange = { req, res, correlationId, deadline, address: options.addressOf(req), body: undefined, url: req.url ?? '' };
    // The request's span is the gateway's (one process may run every service: lib/telemetry/service-scope.ts).
    inService('gateway', () => {
      trace.getActiveSpan()?.setAttribute(ATTR.correlationId, correlationId);
      run(exchange).catch((error: unknown) => unexpected(error, res, correlationId, logger));
    });
  };
}

/** /graphql itself (a trailing slash allowed); /graphql/anything else is another route's. */
function isGraphQLPath(url: string | undefined): boolean {
  if (url === undefined) return false;
  const queryAt = url.indexOf('?');
  const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
  return path === '/graphql' || path === '/graphql/';
}

/** A failure no step answered: logged with the correlation id; the client learns only that it happened, and which. */
function unexpected(error: unknown, res: ServerResponse, correlationId: string, logger: Logger): void {
  logger.error({ err: error, correlationId }, 'unexpected error while serving a GraphQL request');
  if (!res.headersSent) sendInternalError(res, correlationId);
  else res.destroy();
}
