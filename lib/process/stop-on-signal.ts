import type { Logger } from '../logging';
import { shutdownTelemetry } from '../telemetry';

/**
 * A service process's way out: the first SIGTERM or SIGINT runs `stop`, exports the last spans and exits with 0 (1
 * when stopping failed, or took longer than `exitLimitMs` when given); a second signal exits at once with 130.
 */
export function stopOnSignal(logger: Logger, stop: () => Promise<void>, options: { readonly exitLimitMs?: number } = {}): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.info({ signal }, 'stopping');
      if (options.exitLimitMs !== undefined) {
        const limitMs = options.exitLimitMs;
        setTimeout(() => {
          logger.error({ limitMs }, 'did not stop in time; exiting');
          process.exit(1);
        }, limitMs).unref();
      }
      void stop()
        .then(() => shutdownTelemetry())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'error while stopping');
            process.exit(1);
          },
        );
    });
  }
}
