import { trace } from '@opentelemetry/api';
import express, { type Express, type Request } from 'express';
import { pinoHttp } from 'pino-http';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging';
import { CORRELATION_HEADER, correlationIdFrom, RequestDeadline, runWithContext } from '../logging';
import { httpRequestDuration } from '../metrics';
import { ATTR, inService } from '../telemetry';
import { mountHealth, type HealthCheck } from './health';
import { metricsHandler, type MetricsExposure } from './metrics-endpoint';

export type { HealthCheck } from './health';

export interface ServiceAppOptions {
  readonly service: string;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Named dependency probes for `/health/ready` (and `/health`); each must settle within the health timeout. */
  readonly healthChecks?: Readonly<Record<string, HealthCheck>>;
  /** Where `/metrics` is served (AppConfig.metrics): here only when `onServicePort`. */
  readonly metrics: MetricsExposure;
  /** The deadline of every request/response exchange (REQUEST_TIMEOUT_MS); streams have none. */
  readonly requestTimeoutMs: number;
  /**
   * Proxies whose X-Forwarded-For is believed for `req.ip` (proxy-addr syntax); none by default, since any client
   * can write the header.
   */
  readonly trustedProxies?: readonly string[];
}

const registries = new WeakMap<Express, Registry>();

/** The registry a service app reports to, for a separate metrics listener (METRICS_PORT). */
export function registryOf(app: Express): Registry | undefined {
  return registries.get(app);
}

/** Long-lived responses (multipart subscriptions, event streams) run as long as their client listens. */
const STREAMING_ACCEPT = /multipart\/mixed|text\/event-stream/i;

declare module 'express-serve-static-core' {
  interface Request {
    correlationId: string;
  }
}

/**
 * The HTTP shell every service shares: correlation id (accepted from `x-correlation-id` or generated, echoed
 * back, and carried through async calls), a deadline per request, the request's span marked as this service's,
 * access logs, request metrics, `GET /health/live`, `GET /health/ready` (= `GET /health`) and `GET /metrics`.
 * Routes are added by the service on the returned app.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  registries.set(app, options.registry);
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustedProxies && options.trustedProxies.length > 0 ? [...options.trustedProxies] : false);
  const duration = httpRequestDuration(options.registry);

  app.use((req, res, next) => {
    const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    req.correlationId = correlationId;
    res.setHeader(CORRELATION_HEADER, correlationId);
    const end = duration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: routeLabel(req), status: String(res.statusCode) }));
    const deadline = STREAMING_ACCEPT.test(req.headers.accept ?? '') ? undefined : new RequestDeadline(options.requestTimeoutMs);
    res.on('close', () => {
      // Closed before the response was complete: the client (a gateway that timed out, a browser) gave up.
      if (!res.writableFinished) deadline?.abandon('the client closed the connection before the response was sent');
      deadline?.dispose();
    });
    inService(options.service, () => {
      trace.getActiveSpan()?.setAttribute(ATTR.correlationId, correlationId);
      runWithContext({ correlationId, deadline }, next);
    });
  });
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req) => (req as Request).correlationId,
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'debug'),
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  mountHealth(app, { service: options.service, logger: options.logger, ...(options.healthChecks ? { checks: options.healthChecks } : {}) });

  if (options.metrics.onServicePort) app.get('/metrics', metricsHandler(options.registry, options.metrics.token));

  return app;
}

/** Route templates rather than raw paths keep metric label cardinality bounded. */
function routeLabel(req: Request): string {
  const route = (req.route as { path?: string } | undefined)?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  return req.baseUrl || (req.path === '/graphql' ? '/graphql' : 'unmatched');
}
