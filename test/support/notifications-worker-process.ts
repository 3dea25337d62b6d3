/**
 * A Notifications worker for fault tests: the node of `scripts/system.ts` (its consumer on Redis Streams, /health,
 * /metrics) with test timings, configured from the environment like `scripts/run-service.ts notifications`. Run it
 * with `node --import tsx test/support/notifications-worker-process.ts`; it prints "ready" once subscribed.
 * Tests kill it with SIGKILL to simulate a crash.
 *
 * Extra variables: RECLAIM_IDLE_MS (how long an entry read by a dead member stays with it; default 1500),
 * NOTIFY_MAX_ATTEMPTS (default 40) and NOTIFY_RETRY_MAX_MS (the longest backoff; default 500).
 */
import { startNotificationsNode } from '../../scripts/system';
import { runFaultProcess } from './fault-process';

runFaultProcess('notifications-worker-process', (config, bus) =>
  startNotificationsNode(config, bus, {
    notifications: {
      retry: {
        maxAttempts: Number(process.env['NOTIFY_MAX_ATTEMPTS'] ?? 40),
        retryBackoff: { initialMs: 100, maxMs: Number(process.env['NOTIFY_RETRY_MAX_MS'] ?? 500) },
      },
    },
  }),
);
