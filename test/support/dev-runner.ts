import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '../../lib/events/testing/wait-for';

/** What scripts/dev.ts prints once everything listens. */
export const DEV_READY = 'Federated commerce is running';

const root = resolve(__dirname, '../..');

export interface DevRun {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `npm start` as a user runs it, in a child process: `node --import tsx [preloads] scripts/dev.ts` with the given
 * environment on top of this one, less the variables that would point it at the test run's own servers.
 */
export function startDev(env: Record<string, string>, options: { preload?: readonly string[] } = {}): DevRun {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of ['DYNAMODB_ENDPOINT', 'REDIS_URL', 'EVENT_BUS', 'JWT_JWKS_URL', 'TABLE_PREFIX', 'JWT_SECRET', 'GATEWAY_SIGNING_SECRET', 'SMTP_URL', 'MAIL_TRANSPORT']) delete base[name];
  for (const name of Object.keys(base)) if (name.startsWith('OTEL_')) delete base[name];
  const preloads = (options.preload ?? []).flatMap((module) => ['--import', module]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...preloads, 'scripts/dev.ts'], {
    cwd: root,
    env: { ...base, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Polls the output for the banner, failing with the output when the runner exits or the deadline passes. */
export async function waitForDevReady(run: DevRun, timeoutMs: number): Promise<void> {
  let exited = false;
  void run.exited.then(() => (exited = true));
  await waitFor('the dev runner banner', () => exited || run.output().includes(DEV_READY), timeoutMs, 100).catch(() => {
    throw new Error(`the dev runner was not ready within ${timeoutMs} ms:\n${run.output()}`);
  });
  if (!run.output().includes(DEV_READY)) throw new Error(`the dev runner exited before it was ready:\n${run.output()}`);
}

/** The port the banner prints for a service, e.g. bannerPort(output, 'Gateway'). */
export function bannerPort(output: string, label: string): number {
  const match = new RegExp(`${label}[^\\n]*?http://localhost:(\\d+)`).exec(output);
  if (!match) throw new Error(`no ${label} URL in the banner:\n${output}`);
  return Number(match[1]);
}
