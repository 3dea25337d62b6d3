/**
 * A Rewards process for fault tests: the Rewards node of `scripts/system.ts` (HTTP service, outbox relay, the
 * order.completed consumer) on Redis Streams, with test timings, configured from the environment like
 * `scripts/run-service.ts rewards`. Run it with `node --import tsx test/support/rewards-consumer-process.ts`;
 * it prints "ready" once subscribed. Tests kill it with SIGKILL to simulate a crash.
 *
 * Extra variables: RECLAIM_IDLE_MS (how long an entry read by a dead member stays with it; default 1500).
 */
import { startRewardsNode } from '../../scripts/system';
import { FAULT_TEST_RELAY, runFaultProcess } from './fault-process';

runFaultProcess('rewards-consumer-process', (config, bus) => startRewardsNode(config, bus, { relay: FAULT_TEST_RELAY }));
