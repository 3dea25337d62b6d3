import { Counter, type Registry } from 'prom-client';

export type RateLimitRejections = Counter<'limit'>;

/**
 * `gateway_rate_limit_rejections_total{limit}`: requests answered RATE_LIMITED (HTTP 429), by the limit that
 * refused them (e.g. `ip`, `caller`, `operation`: a small fixed set chosen by the rate limiter). Registered with
 * the gateway's other metrics, so it reads 0 until the first rejection; the rate limiter calls
 * `.inc({ limit })` for each request it refuses.
 */
export function rateLimitRejections(registry: Registry): RateLimitRejections {
  return new Counter({
    name: 'gateway_rate_limit_rejections_total',
    help: 'Requests refused with RATE_LIMITED (HTTP 429), by the limit that refused them',
    labelNames: ['limit'],
    registers: [registry],
  });
}
