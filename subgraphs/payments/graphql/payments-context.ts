import DataLoader from 'dataloader';
import type { BaseSubgraphContext } from '../../../lib/graphql';
import type { PaymentsDependencies } from '../application/payments-dependencies';
import { paymentsForOrders } from '../application/read-payments';
import type { Payment } from '../domain/payment';

/** An order as Payments refers to it (Orders owns it). */
export interface OrderRef {
  readonly id: string;
}

export interface PaymentsContext extends BaseSubgraphContext {
  readonly deps: PaymentsDependencies;
  readonly loaders: { readonly payment: DataLoader<string, Payment | null> };
}

/** `Order.payment` for every order of one response in one BatchGetItem; a new loader per request. */
export function createPaymentsLoaders(deps: PaymentsDependencies, caller: PaymentsContext['caller']): PaymentsContext['loaders'] {
  return { payment: new DataLoader((orderIds: readonly string[]) => paymentsForOrders(deps, caller, orderIds), { maxBatchSize: 100 }) };
}
