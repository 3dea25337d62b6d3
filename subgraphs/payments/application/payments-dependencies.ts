import type { Clock } from '../../../lib/ddd';
import type { PaymentRepository } from '../domain/payment-repository';
import type { OrderDirectory } from './order-directory';
import type { PaymentProvider } from './payment-provider';

/** What Payments' use cases need from the outside world. */
export interface PaymentsDependencies {
  readonly payments: PaymentRepository;
  readonly provider: PaymentProvider;
  readonly orders: OrderDirectory;
  readonly clock: Clock;
  readonly newId: () => string;
}
