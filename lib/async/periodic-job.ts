import type { Logger } from '../logging';

export interface PeriodicJobOptions {
  /** What one run does; resolves with how many things it handled. */
  readonly run: () => Promise<number>;
  readonly logger: Logger;
  /** Logged (info) after a run that handled something, with `{ count }`. */
  readonly handledMessage: string;
  /** Logged (warn) when a run fails; the next interval tries again. */
  readonly failedMessage: string;
}

/**
 * The local half of a scheduled job (the stock hold expiry, the payment deadline): runs it every `intervalMs` in
 * the service's process, one run at a time, never overlapping. In AWS an EventBridge schedule invokes the same
 * run in a Lambda function instead.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private started = false;

  constructor(private readonly options: PeriodicJobOptions) {}

  /** Runs the job now; calls made while a run is in progress share it. */
  runNow(): Promise<number> {
    this.running ??= this.options
      .run()
      .then((count) => {
        if (count > 0) this.options.logger.info({ count }, this.options.handledMessage);
        return count;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  start(intervalMs: number): void {
    if (this.started) return;
    this.started = true;
    const tick = () => {
      this.runNow()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, this.options.failedMessage))
        .finally(() => {
          if (!this.started) return;
          this.timer = setTimeout(tick, intervalMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
