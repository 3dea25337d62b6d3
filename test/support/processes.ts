import type { ChildProcess } from 'node:child_process';
import type { RunningSystem } from '../../scripts/system';
import { startReadyProcess } from './fault-process';
import { testRedisUrl } from './services';
import { TEST_EVENT_SIGNING_SECRET, TEST_JWT_SECRET, TEST_SIGNING_SECRET } from './system';

export interface ContextProcess {
  readonly child: ChildProcess;
  /** SIGKILL, and resolves once it is gone: a crash, nothing flushed, nothing closed. */
  kill(): Promise<void>;
}

/**
 * Starts the Orders or Payments node in a process of its own (test/support/context-process.ts) on `system`'s tables,
 * Redis streams and secrets; resolves once its consumers have subscribed. `env` adds or overrides variables (a fixed
 * port, relay timings, Stripe's). The processes started are kept in `started`, for the test's afterAll to kill.
 */
export async function startContextProcess(
  system: Pick<RunningSystem, 'config'>,
  context: 'orders' | 'payments',
  env: Record<string, string>,
  started: ChildProcess[],
): Promise<ContextProcess> {
  const child = await startReadyProcess(
    `test/support/context-process.ts`,
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
      HOST: '127.0.0.1',
      [`${context.toUpperCase()}_PORT`]: '0',
      DYNAMODB_ENDPOINT: system.config.dynamodb.endpoint,
      TABLE_PREFIX: system.config.namespace,
      EVENT_BUS: 'redis',
      REDIS_URL: testRedisUrl(),
      JWT_SECRET: TEST_JWT_SECRET,
      GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
      EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
      ...env,
    },
    `the ${context} process`,
    [context],
  );
  started.push(child);
  return {
    child,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGKILL');
      await gone;
    },
  };
}
