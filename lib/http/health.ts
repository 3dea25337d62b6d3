import type { Express, Request, Response } from 'express';
import type { Logger } from '../logging';

/** A readiness probe of one dependency: resolves when it answers, rejects (with the reason) when it does not. */
export type HealthCheck = () => Promise<void>;

export const HEALTH_TIMEOUT_MS = 2000;

export interface HealthOptions {
  readonly service: string;
  readonly logger: Logger;
  /** Named dependency probes for readiness; each must settle within `timeoutMs`. */
  readonly checks?: Readonly<Record<string, HealthCheck>>;
  readonly timeoutMs?: number;
}

/**
 * The probes of every service (Kubernetes' and ECS's split):
 * - `GET /health/live`: the process is up and serving HTTP; never looks at dependencies, so an outage of
 *   DynamoDB or Redis does not get every instance restarted;
 * - `GET /health/ready` (and `GET /health`, kept for existing probes): every dependency answered; 503 with the
 *   failing ones named otherwise, so a load balancer sends no traffic to an instance that cannot serve it.
 */
export function mountHealth(app: Express, options: HealthOptions): void {
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  const ready = async (_req: Request, res: Response): Promise<void> => {
    const checks: Record<string, string> = {};
    let healthy = true;
    await Promise.all(
      Object.entries(options.checks ?? {}).map(async ([name, check]) => {
        try {
          await withTimeout(check(), options.timeoutMs ?? HEALTH_TIMEOUT_MS);
          checks[name] = 'ok';
        } catch (error) {
          healthy = false;
          checks[name] = 'failing';
          options.logger.warn({ err: error, check: name }, 'readiness check failed');
        }
      }),
    );
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', service: options.service, checks });
  };
  app.get('/health/ready', ready);
  app.get('/health', ready);
}

/**
 * A check whose result is reused for `ttlMs`, and shared by probes arriving while it runs: probes of several load
 * balancers and orchestrators then cost the dependency one request per `ttlMs`, whatever their rate.
 */
export function cachedHealthCheck(check: HealthCheck, ttlMs: number, now: () => number = Date.now): HealthCheck {
  let last: { at: number; result: Promise<void> } | undefined;
  return () => {
    if (!last || now() - last.at >= ttlMs) {
      const result = check();
      // A settled failure is reported to every caller in the window; nothing is left unhandled meanwhile.
      result.catch(() => undefined);
      last = { at: now(), result };
    }
    return last.result;
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
