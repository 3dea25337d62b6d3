import { PeriodicJob } from '../../../lib/async';
import type { Logger } from '../../../lib/logging';
import type { CatalogDependencies } from '../application/catalog-dependencies';
import { expireUnclaimedHolds } from '../application/stock-hold-lifecycle';

/**
 * The local half of "unclaimed holds expire" (docs/architecture.md §4): runs the expiry sweep every interval in the
 * Catalog node. In AWS a schedule invokes the same sweep (lambda.ts `holdSweepHandler`).
 */
export class HoldSweeper extends PeriodicJob {
  constructor(deps: Pick<CatalogDependencies, 'holds' | 'clock'>, logger: Logger) {
    super({
      run: () => expireUnclaimedHolds(deps),
      logger,
      handledMessage: 'released stock holds no order claimed in time',
      failedMessage: 'stock hold sweep failed; retrying at the next interval',
    });
  }

  /** Releases the expired unclaimed holds now; calls made while a sweep runs share it. */
  sweep(): Promise<number> {
    return this.runNow();
  }
}
