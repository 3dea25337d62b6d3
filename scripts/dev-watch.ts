/**
 * `npm run dev`: `npm start` for working on the backend. The local servers (DynamoDB Local, redis-server, the Stripe
 * emulator, maildev) start once and keep running; the services run in a child process (scripts/dev-services.ts,
 * pointed at those servers, so it starts none itself) that is stopped and started again when a backend source
 * changes, so a restart takes the services' start-up, not Java's. Logs are readable on a terminal (lib/logging). Ctrl-C stops everything.
 *
 * Watched: lib/, gateway/, subgraphs/, scripts/, dev/ and schema/ (the supergraph is read at start-up), tests
 * excepted. The storefront has its own dev server with hot reload (`npm run web:dev`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../lib/config';
import type { Logger } from '../lib/logging';
import { freePort } from '../lib/process';
import { runDevProcess } from './dev-process';
import { recordLocalEndpoints } from './local-endpoints';
import { startLocalInfrastructure } from './local-infrastructure';

const root = resolve(__dirname, '..');

export const WATCHED = ['lib', 'gateway', 'subgraphs', 'scripts', 'dev', 'schema'];

/** A change that should restart the services: source and schema files, not tests, their fixtures or editors' litter. */
export function restartsServices(path: string): boolean {
  return /\.(ts|graphql|json)$/.test(path) && !/\.test\.ts$/.test(path) && !/(^|\/)(test-support|testing|__snapshots__)\//.test(path);
}

/** How long the services get to stop (the gateway drains for up to 4.5 s) before they are killed. */
const STOP_GRACE_MS = 8000;
/** Editors save in bursts (write, rename, chmod): one restart per burst. */
const SETTLE_MS = 150;

class ServicesChild {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #restarts = 0;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const args = ['--import', 'tsx', '--import', './lib/telemetry/register.ts', 'scripts/dev-services.ts', ...(this.#restarts > 0 ? ['--restarted'] : [])];
    // Its output goes to this terminal, so its logs are pretty there (lib/logging). Its own process group: Ctrl-C
    // reaches only this supervisor, which stops it once, gracefully; it stops by itself if this process dies.
    const child = spawn(process.execPath, args, { cwd: root, env: this.env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    this.#child = child;
    this.#exited = new Promise((exited) =>
      child.once('exit', (code, signal) => {
        if (this.#child === child) {
          this.#child = undefined;
          this.logger.warn({ code, signal }, 'the services stopped; they start again on the next change');
        }
        exited();
      }),
    );
  }

  async restart(changed: string): Promise<void> {
    this.logger.info({ changed }, 'restarting the services');
    await this.stop();
    this.#restarts += 1;
    this.start();
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.kill('SIGTERM');
      await this.#exited;
      clearTimeout(killer);
    }
  }

  kill(): void {
    this.#child?.kill('SIGKILL');
  }
}

/** Calls `onChange` once per burst of changes under the watched directories, with one of the changed paths. */
function watchSources(onChange: (path: string) => void): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let changed = '';
  const watchers: FSWatcher[] = WATCHED.map((directory) =>
    watch(join(root, directory), { recursive: true }, (_event, file) => {
      const path = file ? `${directory}/${file.toString()}` : directory;
      if (!restartsServices(path)) return;
      changed = path;
      clearTimeout(timer);
      timer = setTimeout(() => onChange(changed), SETTLE_MS);
    }),
  );
  return {
    stop: async () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

if (require.main === module) {
  runDevProcess('dev', async ({ config, logger, keep }) => {
    const infrastructure = await startLocalInfrastructure(config, logger);
    keep(infrastructure);
    // Payments keeps one port across restarts, so the emulator's webhook endpoint, set once here, stays right.
    const paymentsPort = config.ports.payments === 0 ? await freePort() : config.ports.payments;
    const env = { ...process.env, ...infrastructure.env, PAYMENTS_PORT: String(paymentsPort) };
    const wired = loadConfig(env);
    keep(recordLocalEndpoints(wired));
    infrastructure.stripe?.connect(wired.urls.payments);
    const services = new ServicesChild(env, logger);
    keep(services);
    // One restart at a time; changes made during one are picked up by the next.
    let restarting = Promise.resolve();
    keep(watchSources((path) => (restarting = restarting.then(() => services.restart(path)))));
    services.start();
    logger.info({ watching: WATCHED }, 'watching the backend sources: the services restart on change');
  });
}
