import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { listen, type RunningServer } from './listen';

/**
 * Where a service's Prometheus `/metrics` is served (AppConfig.metrics): on its own port, open in development
 * and behind a bearer token elsewhere; on a separate port that containers do not publish; or not at all.
 * Metrics name routes, operations and error rates: useful reconnaissance, so never public by default outside
 * development.
 */
export interface MetricsExposure {
  readonly port: number | undefined;
  readonly token: string | undefined;
  readonly onServicePort: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** GET /metrics of `registry`; with a token, only for `Authorization: Bearer <token>` (compared in constant time). */
export function metricsHandler(registry: Registry, token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (req, res) => {
    if (expected) {
      const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        res.status(401).setHeader('www-authenticate', 'Bearer realm="metrics"').json({ error: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' });
        return;
      }
    }
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  };
}

/** The separate metrics listener when METRICS_PORT is set (one service per process: containers, run-service.ts). */
export async function listenMetrics(registry: Registry | undefined, exposure: MetricsExposure, host: string): Promise<RunningServer | undefined> {
  if (exposure.port === undefined || !registry) return undefined;
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(registry, exposure.token));
  return listen(app, exposure.port, host);
}
