import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '../../lib/events/testing/wait-for';
import { DEV_READY } from '../../scripts/dev-services';

export { DEV_READY };

const root = resolve(__dirname, '../..');

export interface DevRun {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `npm start` as a user runs it, in a child process: `node --import tsx [preloads] scripts/dev.ts` with the given
 * environment on top of this one, less the variables that would point it at the test run's own servers.
 * `script` runs another entry point (`npm run dev`: scripts/dev-watch.ts), `cwd` another copy of the repository.
 */
export function startDev(env: Record<string, string>, options: { preload?: readonly string[]; script?: string; cwd?: string } = {}): DevRun {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of ['DYNAMODB_ENDPOINT', 'REDIS_URL', 'EVENT_BUS', 'JWT_JWKS_URL', 'TABLE_PREFIX', 'JWT_SECRET', 'GATEWAY_SIGNING_SECRET', 'SMTP_URL', 'MAIL_TRANSPORT']) delete base[name];
  for (const name of Object.keys(base)) if (name.startsWith('OTEL_')) delete base[name];
  const preloads = (options.preload ?? []).flatMap((module) => ['--import', module]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...preloads, options.script ?? 'scripts/dev.ts'], {
    cwd: options.cwd ?? root,
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

/** The direct children of `pid` with their command names (`ps -o pid=,comm= --ppid`). */
export function childrenOf(pid: number): { pid: number; command: string }[] {
  let text = '';
  try {
    text = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [id, ...command] = line.split(/\s+/);
      return { pid: Number(id), command: command.join(' ') };
    });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes among `pids` still alive once all are gone or `timeoutMs` has passed. */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  await waitFor('the children to exit', () => !pids.some(isAlive), timeoutMs, 100).catch(() => undefined);
  return pids.filter(isAlive);
}
