import { PeriodicJob } from '../../../lib/async';
import type { Logger } from '../../../lib/logging';
import type { OrdersDependencies } from '../application/orders-dependencies';
import { cancelOverdueOrders } from '../application/payment-deadline';

/**
 * The local half of the payment deadline (docs/architecture.md §4): cancels unpaid orders past paymentDueAt every
 * PAYMENT_DEADLINE_SWEEP_INTERVAL_MS in the Orders node. In AWS a schedule invokes the same sweep
 * (lambda.ts `deadlineSweepHandler`).
 */
export class PaymentDeadlineSweeper extends PeriodicJob {
  constructor(deps: Pick<OrdersDependencies, 'orders' | 'clock'>, logger: Logger) {
    super({
      run: () => cancelOverdueOrders(deps),
      logger,
      handledMessage: 'cancelled unpaid orders past their payment deadline',
      failedMessage: 'payment deadline sweep failed; retrying at the next interval',
    });
  }

  /** Cancels the overdue orders now; calls made while a sweep runs share it. */
  sweep(): Promise<number> {
    return this.runNow();
  }
}
