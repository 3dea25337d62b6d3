import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { RunningSystem } from '../../scripts/system';
import { testRedisUrl } from './services';
import { TEST_EVENT_SIGNING_SECRET, TEST_JWT_SECRET, TEST_SIGNING_SECRET } from './system';

const ROOT = resolve(__dirname, '../..');

export interface ContextProcess {
  readonly child: ChildProcess;
  /** Where its HTTP service listens. */
  readonly url: string;
  /** SIGKILL, and resolves once it is gone: a crash, nothing flushed, nothing closed. */
  kill(): Promise<void>;
}

/**
 * Starts a context's node in a process of its own (test/support/context-process.ts) on `system`'s tables, Redis
 * streams and secrets; resolves once its consumers have subscribed. `env` adds or overrides variables (ports, relay
 * timings, Stripe's). The processes started are kept in `started`, for the test's afterAll to kill.
 */
export async function startContextProcess(
  system: Pick<RunningSystem, 'config'>,
  context: 'rewards' | 'orders' | 'payments',
  env: Record<string, string>,
  started: ChildProcess[],
): Promise<ContextProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/context-process.ts', context], {
    cwd: ROOT,
    env: {
      ...process.env,
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
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${context} process did not start within 60 s:\n${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const ready = /ready (http\S+)/.exec(chunk.toString());
      if (!ready) return;
      clearTimeout(timer);
      resolveReady(ready[1]!);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${context} process exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    child,
    url,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGKILL');
      await gone;
    },
  };
}
