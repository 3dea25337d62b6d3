import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type Stripe from 'stripe';
import { systemClock, type MoneyProps } from '../../../lib/ddd';
import { ensureTable, type DynamoClients } from '../../../lib/dynamodb';
import { OutboxWriter, allPendingOutboxItems } from '../../../lib/events';
import { createLogger } from '../../../lib/logging';
import { testDynamoClients, uniquePrefix } from '../../../test/support/services';
import { startStripeEmulator, type RunningStripeEmulator } from '../../../dev/stripe-emulator';
import { stripeClient } from '../../../dev/stripe-emulator/testing';
import type { OrderDirectory, OrderSnapshot } from '../application/order-directory';
import type { PaymentsDependencies } from '../application/payments-dependencies';
import { DynamoPaymentRepository } from '../infrastructure/dynamo-payment-repository';
import { paymentsTable } from '../infrastructure/payments-table';
import { createStripeClient, StripePaymentProvider } from '../infrastructure/stripe/stripe-provider';

/** Orders as Payments' port sees them, in memory: what the tests place and change. */
export class InMemoryOrders implements OrderDirectory {
  readonly orders = new Map<string, OrderSnapshot>();

  add(customerId: string, total: MoneyProps = { amount: 2599, currency: 'USD' }): OrderSnapshot {
    const order = { id: randomUUID(), customerId, status: 'PENDING', total };
    this.orders.set(order.id, order);
    return order;
  }

  setStatus(orderId: string, status: string): void {
    this.orders.set(orderId, { ...this.orders.get(orderId)!, status });
  }

  async findOrder(orderId: string): Promise<OrderSnapshot | null> {
    return this.orders.get(orderId) ?? null;
  }
}

export interface PaymentsHarness {
  readonly dynamo: DynamoClients;
  readonly tableName: string;
  readonly emulator: RunningStripeEmulator;
  /** The SDK at the emulator, as a customer's browser or an operator would use it. */
  readonly stripe: Stripe;
  readonly orders: InMemoryOrders;
  readonly deps: PaymentsDependencies;
  /** The events of one order still in the outbox (no relay runs here), oldest first. */
  outboxEventsOf(orderId: string): Promise<{ type: string; data: Record<string, unknown> }[]>;
  stop(): Promise<void>;
}

/**
 * Payments' use cases against the real table (DynamoDB Local) and the real Stripe adapter talking to the Stripe
 * emulator over HTTP. Orders is a port (a plain interface) given an in-memory implementation; the end-to-end tests
 * use the real Orders service.
 */
export async function startPaymentsHarness(label: string): Promise<PaymentsHarness> {
  const dynamo = testDynamoClients();
  const tableName = `${uniquePrefix(label)}payments`;
  await ensureTable(dynamo.client, tableName, paymentsTable);
  const emulator = await startStripeEmulator({ port: 0 });
  const orders = new InMemoryOrders();
  const logger = createLogger({ service: 'payments-test', level: 'silent' });
  const deps: PaymentsDependencies = {
    payments: new DynamoPaymentRepository(dynamo.doc, tableName, new OutboxWriter(tableName)),
    provider: new StripePaymentProvider(createStripeClient({ secretKey: 'sk_test_harness', apiUrl: emulator.url, timeoutMs: 5_000 }), logger),
    orders,
    clock: systemClock,
    newId: randomUUID,
  };
  return {
    dynamo,
    tableName,
    emulator,
    stripe: stripeClient(emulator),
    orders,
    deps,
    async outboxEventsOf(orderId) {
      const events = (await allPendingOutboxItems(dynamo.doc, tableName)).map((item) => JSON.parse(item.event) as { type: string; occurredAt: string; data: Record<string, unknown> });
      return events
        .filter((event) => event.data['orderId'] === orderId)
        .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
        .map(({ type, data }) => ({ type, data }));
    },
    async stop() {
      await emulator.close();
      await dynamo.client.send(new DeleteTableCommand({ TableName: tableName }));
      dynamo.client.destroy();
    },
  };
}
