/**
 * The Orders or Payments node (scripts/system.ts: its HTTP service, outbox relay and event consumers) in a process
 * of its own, for fault tests that kill it with SIGKILL: `node --import tsx test/support/context-process.ts
 * <orders|payments>`, configured from the environment like `scripts/run-service.ts`, on Redis Streams with test
 * timings (fault-process.ts). It prints "ready" once its consumers have subscribed.
 *
 * Extra variables: RECLAIM_IDLE_MS (fault-process.ts), RELAY_PUBLISH_AFTER_COMMIT (false: only the sweep publishes,
 * as a process that crashes right after each commit), RELAY_SWEEP_INTERVAL_MS and RELAY_MIN_AGE_MS (defaults: FAULT_TEST_RELAY's).
 */
import { startOrdersNode, startPaymentsNode, type NodeOptions } from '../../scripts/system';
import { FAULT_TEST_RELAY, runFaultProcess } from './fault-process';

const STARTERS = { orders: startOrdersNode, payments: startPaymentsNode } as const;

const context = process.argv[2];
if (context !== 'orders' && context !== 'payments') {
  console.error(`usage: context-process.ts <${Object.keys(STARTERS).join('|')}>`);
  process.exit(2);
}
const relay: NodeOptions['relay'] = {
  publishAfterCommit: process.env['RELAY_PUBLISH_AFTER_COMMIT'] !== 'false',
  sweepIntervalMs: Number(process.env['RELAY_SWEEP_INTERVAL_MS'] ?? FAULT_TEST_RELAY.sweepIntervalMs),
  minAgeMs: Number(process.env['RELAY_MIN_AGE_MS'] ?? FAULT_TEST_RELAY.minAgeMs),
};
runFaultProcess(`${context}-process`, (config, bus) => STARTERS[context](config, bus, { relay }));
