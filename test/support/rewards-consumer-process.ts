/**
 * A Rewards process for fault tests: the Rewards node of `scripts/system.ts` (HTTP service, outbox relay, the
 * order.completed consumer) on Redis Streams, with test timings, configured from the environment like
 * `scripts/run-service.ts rewards`. Run it with `node --import tsx test/support/rewards-consumer-process.ts`;
 * it prints "ready" once subscribed. Tests kill it with SIGKILL to simulate a crash.
 *
 * Extra variables: RECLAIM_IDLE_MS (how long an entry read by a dead member stays with it; default 1500).
 */
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logging';
import { startRewardsNode } from '../../scripts/system';
import { faultProcessBus } from './fault-process';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: 'rewards-consumer-process', level: config.logLevel });
  const bus = faultProcessBus(config, logger);
  const node = await startRewardsNode(config, bus, { relay: { sweepIntervalMs: 300, minAgeMs: 300 } });
  console.log('ready');
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
