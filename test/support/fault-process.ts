import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { loadConfig, type AppConfig } from '../../lib/config';
import type { EventBus } from '../../lib/events';
import { createLogger, type Logger } from '../../lib/logging';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createSystemEventBus } from '../../scripts/system';

const ROOT = resolve(__dirname, '../..');

/**
 * The relay of fault-test systems: it publishes right after commit, and its sweep publishes what that left behind
 * (a crash, the bus down) once it is 300 ms old, every second. Every sweep reads all eight outbox shards, so each
 * context's relay sweeping every 300 ms kept DynamoDB Local, the bottleneck of these tests on two cores, busy with
 * 150 empty queries a second (more than all the other requests of a recovery together); a second's period adds at
 * most a second to a recovery.
 */
export const FAULT_TEST_RELAY = { sweepIntervalMs: 1_000, minAgeMs: 300 } as const;

/**
 * Runs a test process (`node --import tsx <script> ...args`) with `env` on top of this one's, and resolves once it prints
 * "ready"; rejects with its stderr when it exits first or is not ready within 60 s. Fault tests kill it with
 * SIGKILL to simulate a crash.
 */
export async function startReadyProcess(script: string, env: Record<string, string | undefined>, label: string, args: readonly string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let ready = false;
  let exited: number | null | undefined;
  const onReady = (chunk: Buffer) => (ready ||= chunk.toString().includes('ready'));
  const onExit = (code: number | null) => (exited = code);
  child.stdout?.on('data', onReady);
  child.once('exit', onExit);
  try {
    await waitFor(() => `${label} to start:\n${output}`, () => {
      if (exited !== undefined) throw new Error(`${label} exited with ${exited}:\n${output}`);
      return ready;
    }, 60_000, 50);
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  }
  child.off('exit', onExit);
  return child;
}

/**
 * The bus of a fault-test process: Redis Streams with test timings. RECLAIM_IDLE_MS (default 1500) is how long an
 * entry read by a dead member stays with it before another member takes it over.
 */
export function faultProcessBus(config: AppConfig, logger: Logger, env: NodeJS.ProcessEnv = process.env): EventBus {
  const reclaimIdleMs = Number(env['RECLAIM_IDLE_MS'] ?? 1500);
  return createSystemEventBus(config, logger, {
    redis: {
      reclaimIdleMs,
      reclaimIntervalMs: Math.max(100, Math.round(reclaimIdleMs / 3)),
      blockMs: 200,
      retryBackoff: { initialMs: 50, maxMs: Math.min(500, reclaimIdleMs - 1) },
      loopErrorBackoff: { initialMs: 50, maxMs: 500 },
    },
  });
}

/**
 * The body of a fault-test process: builds its bus (faultProcessBus) and its node, prints "ready" for
 * startReadyProcess, and on SIGTERM stops the node, then the bus, and exits. Any start-up error exits 1.
 */
export function runFaultProcess(service: string, start: (config: AppConfig, bus: EventBus) => Promise<{ stopAll(): Promise<void> }>): void {
  const run = async () => {
    const config = loadConfig(process.env);
    const bus = faultProcessBus(config, createLogger({ service, level: config.logLevel }));
    const node = await start(config, bus);
    console.log('ready');
    process.once('SIGTERM', () => {
      void node
        .stopAll()
        .then(() => bus.close())
        .then(() => process.exit(0));
    });
  };
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
