import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, stopChild, waitForPort } from '../process';

export interface LocalRedis {
  /** `redis://<user>:<password>@127.0.0.1:<port>`: hand it to clients, never to logs (see redactRedisUrl). */
  readonly url: string;
  readonly port: number;
  readonly username: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** The ACL user local Redis servers admit (the `default` user needs the same password). */
export const LOCAL_REDIS_USER = 'ecommerce';

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The password of the Redis under `dataDir`: generated on first use and kept there (owner-only file), so a
 * restart with the same data accepts the clients that already hold it.
 */
export function localRedisPassword(dataDir: string): string {
  const file = join(resolve(dataDir), 'password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(resolve(dataDir), { recursive: true });
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** A Redis URL safe to log or print: the password reduced to its first two characters. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = `${decodeURIComponent(parsed.password).slice(0, 2)}***`;
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/**
 * Runs a `redis-server` child that admits only an ACL user with a password (issue 9: a Redis anyone on the
 * machine can write to is a way to forge events). The password is `options.password`, else the one kept under
 * `dataDir`, else a fresh random one; it reaches redis-server in an owner-only config file, never on the command
 * line where `ps` would show it. With `dataDir` the server keeps an append-only file there, so event streams
 * not yet consumed survive a restart; without it, nothing is persisted (tests).
 */
export async function startRedisServer(options: { port?: number; dataDir?: string; password?: string } = {}): Promise<LocalRedis> {
  const port = options.port ?? (await freePort());
  const password = options.password ?? (options.dataDir ? localRedisPassword(options.dataDir) : randomBytes(24).toString('base64url'));
  if (!/^[A-Za-z0-9_-]{16,}$/.test(password)) throw new TypeError('a local Redis password must be 16 or more letters, digits, "_" or "-"');
  const configDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'redis-local-'));
  mkdirSync(configDir, { recursive: true });
  const configFile = join(configDir, 'redis-acl.conf');
  // The `default` user stays on, behind the same password: Redis replays MULTI/EXEC from the append-only file as
  // `default`, and with that user off it silently drops every transaction on restart (redis/redis#14541,
  // valkey-io/valkey#3983), i.e. the event streams. A connection that does not authenticate is refused either way.
  writeFileSync(configFile, `user default on >${password} ~* &* +@all\nuser ${LOCAL_REDIS_USER} on >${password} ~* &* +@all\n`, { mode: 0o600 });
  chmodSync(configFile, 0o600);
  const args = [configFile, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--protected-mode', 'yes'];
  if (options.dataDir) args.push('--dir', configDir, '--appendonly', 'yes');
  else args.push('--appendonly', 'no');
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Ready means this child says so: an open port alone may be another Redis already there (another run's).
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    if (/Ready to accept connections/.test(output)) signalReady();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not start redis-server: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before it was ready:\n${output}`)));
  });
  exited.catch(() => undefined);
  await Promise.race([Promise.all([ready, waitForPort(port, 15_000)]), exited]);
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://${LOCAL_REDIS_USER}:${password}@127.0.0.1:${port}`,
    port,
    username: LOCAL_REDIS_USER,
    process: child,
    stop() {
      stopping ??= stopChild(child).finally(() => {
        if (!options.dataDir) rmSync(configDir, { recursive: true, force: true });
      });
      return stopping;
    },
  };
}
