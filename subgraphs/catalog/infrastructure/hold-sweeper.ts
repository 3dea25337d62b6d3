import type { Logger } from '../../../lib/logging';
import type { CatalogDependencies } from '../application/catalog-dependencies';
import { expireUnclaimedHolds } from '../application/stock-hold-lifecycle';

/**
 * The local half of "unclaimed holds expire" (docs/architecture.md §4): runs the expiry sweep every `intervalMs` in the
 * Catalog node. In AWS a schedule invokes the same sweep (lambda.ts `holdSweepHandler`).
 */
export class HoldSweeper {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  private running = false;

  constructor(
    private readonly deps: Pick<CatalogDependencies, 'holds' | 'clock'>,
    private readonly logger: Logger,
  ) {}

  /** Releases the expired unclaimed holds now; calls made while a sweep runs share it. */
  sweep(): Promise<number> {
    this.sweeping ??= expireUnclaimedHolds(this.deps)
      .then((released) => {
        if (released > 0) this.logger.info({ released }, 'released stock holds no order claimed in time');
        return released;
      })
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  start(intervalMs: number): void {
    if (this.running) return;
    this.running = true;
    const tick = () => {
      this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'stock hold sweep failed; retrying at the next interval'))
        .finally(() => {
          if (!this.running) return;
          this.timer = setTimeout(tick, intervalMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sweeping?.catch(() => undefined);
  }
}
