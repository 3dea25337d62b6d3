import { ConfigError, loadConfig, type AppConfig } from '../lib/config';
import { createLogger, type Logger } from '../lib/logging';
import { shutdownTelemetry } from '../lib/telemetry';
import { LocalPortBusyError } from './local-infrastructure';

export interface Stoppable {
  stop(): Promise<void>;
  /** A second Ctrl-C: end at once, no waiting. */
  kill?(): void;
}

export interface DevProcess {
  readonly config: AppConfig;
  readonly logger: Logger;
  /** Stopped when the process stops, the last kept first. */
  keep(part: Stoppable): void;
}

/**
 * The life of a development process (`npm start`, `npm run dev` and its services): the development defaults,
 * asked for here rather than implied by an unset NODE_ENV (which means production: lib/config/secrets-policy.ts);
 * the configuration, where a bad value stops it with its message; and a stop of everything it kept on SIGINT,
 * SIGTERM or SIGHUP, or when its parent goes away. A second signal ends it at once.
 */
export function runDevProcess(service: string, start: (process: DevProcess) => Promise<void>): void {
  process.env['NODE_ENV'] ??= 'development';
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ service, level: config.logLevel });
  const parts: Stoppable[] = [];
  let stopping = false;

  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    for (const part of [...parts].reverse()) {
      try {
        await part.stop();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
    await shutdownTelemetry();
    logger.info('stopped');
    process.exit(code);
  };
  // If whatever started us dies without signalling (npm killed hard), do not outlive it holding ports.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown('parent process exited', 0);
  }, 1000).unref();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) {
        for (const part of parts) part.kill?.();
        process.exit(130);
      }
      void shutdown(signal, 0);
    });
  }

  start({ config, logger, keep: (part) => parts.push(part) }).catch(async (error: unknown) => {
    if (error instanceof LocalPortBusyError) logger.error(error.message);
    else logger.error({ err: error }, 'start-up failed');
    await shutdown('start-up failed', 1);
  });
}
