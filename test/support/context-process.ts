/**
 * One context's node (scripts/system.ts: its HTTP service, outbox relay and event consumers) in a process of its own,
 * for fault tests that kill it with SIGKILL: `node --import tsx test/support/context-process.ts <rewards|orders|payments>`,
 * configured from the environment like `scripts/run-service.ts`, on Redis Streams with test timings. It prints
 * "ready <url>" once its consumers have subscribed.
 *
 * Extra variables: RECLAIM_IDLE_MS (how long an entry read by a dead member stays with it; default 1500),
 * RELAY_PUBLISH_AFTER_COMMIT (false: only the sweep publishes, as a process that crashes right after each commit),
 * RELAY_SWEEP_INTERVAL_MS and RELAY_MIN_AGE_MS (defaults 300).
 */
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logging';
import { createSystemEventBus, startOrdersNode, startPaymentsNode, startRewardsNode, type NodeOptions } from '../../scripts/system';

const STARTERS = { rewards: startRewardsNode, orders: startOrdersNode, payments: startPaymentsNode } as const;

async function main(): Promise<void> {
  const context = process.argv[2] as keyof typeof STARTERS | undefined;
  if (!context || !(context in STARTERS)) throw new Error(`usage: context-process.ts <${Object.keys(STARTERS).join('|')}>`);
  const config = loadConfig(process.env);
  const logger = createLogger({ service: `${context}-process`, level: config.logLevel });
  const reclaimIdleMs = Number(process.env['RECLAIM_IDLE_MS'] ?? 1500);
  const bus = createSystemEventBus(config, logger, {
    redis: {
      reclaimIdleMs,
      reclaimIntervalMs: Math.max(100, Math.round(reclaimIdleMs / 3)),
      blockMs: 200,
      retryBackoff: { initialMs: 50, maxMs: Math.min(500, reclaimIdleMs - 1) },
      loopErrorBackoff: { initialMs: 50, maxMs: 500 },
    },
  });
  const relay: NodeOptions['relay'] = {
    publishAfterCommit: process.env['RELAY_PUBLISH_AFTER_COMMIT'] !== 'false',
    sweepIntervalMs: Number(process.env['RELAY_SWEEP_INTERVAL_MS'] ?? 300),
    minAgeMs: Number(process.env['RELAY_MIN_AGE_MS'] ?? 300),
  };
  const node = await STARTERS[context](config, bus, { relay });
  console.log(`ready ${node.http.url}`);
  process.once('SIGTERM', () => {
    void node
      .stopAll()
      .then(() => bus.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
