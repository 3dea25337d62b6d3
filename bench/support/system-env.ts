import { loadConfig, type AppConfig } from '../../lib/config';
import { ephemeralSystemEnv } from '../../scripts/ephemeral-env';

export const BENCH_JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
export const BENCH_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef0123';
export const BENCH_EVENT_SIGNING_SECRET = 'bench-event-signing-secret-0123456789abcd';
/** Production mode keeps /metrics behind a token; the benchmarks read it with this one. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef012345';
export const BENCH_ADMIN = { sub: 'bench-admin', roles: ['admin'] } as const;
/** Production mode needs Stripe's keys to start Payments; the checkout benchmark points it at the emulator. */
export const BENCH_STRIPE_SECRET_KEY = 'sk_test_Bench0123456789';
export const BENCH_STRIPE_WEBHOOK_SECRET = 'whsec_bench_0123456789abcdef';

/** A production-mode configuration for a benchmarked system: free ports, its own tables and Redis namespace. */
export function benchConfig(options: {
  readonly dynamoEndpoint: string;
  readonly tablePrefix: string;
  readonly eventBus: 'memory' | 'redis';
  readonly redisUrl: string;
  readonly overrides?: Readonly<Record<string, string>>;
}): AppConfig {
  return loadConfig(
    ephemeralSystemEnv({
      dynamoEndpoint: options.dynamoEndpoint,
      tablePrefix: options.tablePrefix,
      jwtSecret: BENCH_JWT_SECRET,
      signingSecret: BENCH_SIGNING_SECRET,
      eventSigningSecret: BENCH_EVENT_SIGNING_SECRET,
      nodeEnv: 'production',
      // Benchmarks drive one address, and one customer, far past any client's budget: no rate limits, no caps on
      // unpaid orders (the checkout benchmark sets the caps back to their defaults).
      overrides: {
        METRICS_TOKEN: BENCH_METRICS_TOKEN,
        RATE_LIMIT: 'off',
        MAX_PENDING_ORDERS_PER_CUSTOMER: '1000000',
        MAX_HELD_UNITS_PER_CUSTOMER: '1000000000',
        EVENT_BUS: options.eventBus,
        ...(options.eventBus === 'redis' ? { REDIS_URL: options.redisUrl } : {}),
        STRIPE_SECRET_KEY: BENCH_STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: BENCH_STRIPE_WEBHOOK_SECRET,
        ...options.overrides,
      },
    }),
  );
}
