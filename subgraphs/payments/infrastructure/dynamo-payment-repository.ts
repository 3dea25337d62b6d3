import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentModificationError, type MoneyProps } from '../../../lib/ddd';
import { batchGetAll, isConditionalCheckFailed, transactWrite, transactionCancellationCodes } from '../../../lib/dynamodb';
import { processedEventPut, processedKey, wasAlreadyProcessed, type OutboxWriter } from '../../../lib/events';
import type { OrderClosure } from '../domain/order-closure';
import { Payment } from '../domain/payment';
import type { CausingEvent, PaymentRepository } from '../domain/payment-repository';
import type { PaymentStatus } from '../domain/payment-status';

interface PaymentRow {
  pk: string;
  sk: 'PAYMENT';
  id: string;
  orderId: string;
  customerId: string;
  status: PaymentStatus;
  amount: MoneyProps;
  provider: string;
  providerPaymentId: string;
  clientSecret?: string;
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The order was closed to card payment (payments-table.ts). */
interface ClosedOrderRow {
  pk: string;
  sk: 'CLOSED';
  orderId: string;
  closedAs: OrderClosure;
  closedAt: string;
}

const orderPartition = (orderId: string) => `ORDER#${orderId}`;
const paymentKey = (orderId: string) => ({ pk: orderPartition(orderId), sk: 'PAYMENT' as const });
const closedKey = (orderId: string) => ({ pk: orderPartition(orderId), sk: 'CLOSED' as const });

/** Order ids come from clients (`startPayment(orderId:)`, `_entities`); one too long to be a key names no payment. */
const MAX_PARTITION_KEY_BYTES = 2048;
const canNameOrder = (orderId: string) => Buffer.byteLength(orderPartition(orderId), 'utf8') <= MAX_PARTITION_KEY_BYTES;

function toRow(payment: Payment, version: number): PaymentRow {
  const state = payment.snapshot();
  return {
    ...paymentKey(state.orderId),
    id: state.id,
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    amount: { amount: state.amount.amount, currency: state.amount.currency },
    provider: state.provider,
    providerPaymentId: state.providerPaymentId,
    ...(state.clientSecret !== undefined ? { clientSecret: state.clientSecret } : {}),
    ...(state.failureReason !== undefined ? { failureReason: state.failureReason } : {}),
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
    version,
  };
}

function fromRow(row: PaymentRow, orderClosed: OrderClosure | undefined): Payment {
  return Payment.restore({
    id: row.id,
    orderId: row.orderId,
    customerId: row.customerId,
    status: row.status,
    amount: row.amount,
    provider: row.provider,
    providerPaymentId: row.providerPaymentId,
    clientSecret: row.clientSecret,
    failureReason: row.failureReason,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    orderClosed,
    version: row.version,
  });
}

/**
 * Payments in DynamoDB (payments-table.ts): one row per order, with optimistic concurrency on `version`; the
 * order's closure to card payment (cancelled, or confirmed without its payment) is a row of its own in the same
 * partition, so one query reads both, and a payment is only created while that row is absent (a condition in the
 * same transaction).
 */
export class DynamoPaymentRepository implements PaymentRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(payment: Payment): Promise<'created' | 'exists' | { readonly closed: OrderClosure }> {
    const outbox = this.outbox.prepare(payment.peekEvents());
    try {
      await transactWrite(this.doc, [
        { Put: { TableName: this.tableName, Item: toRow(payment, 1), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: closedKey(payment.orderId),
            ConditionExpression: 'attribute_not_exists(pk)',
            // How the order was closed, without a second read.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        ...outbox.writes,
      ]);
    } catch (error) {
      const codes = transactionCancellationCodes(error);
      if (codes?.[1] === 'ConditionalCheckFailed') return { closed: closureOf(error) };
      if (codes?.[0] === 'ConditionalCheckFailed') return 'exists';
      throw error;
    }
    payment.pullEvents();
    outbox.committed();
    return 'created';
  }

  async save(payment: Payment, causedBy?: CausingEvent): Promise<'saved' | 'duplicate'> {
    const events = payment.peekEvents();
    if (events.length === 0) return 'saved';
    const outbox = this.outbox.prepare(events);
    const marker = causedBy ? [processedEventPut(this.tableName, causedBy.consumer, causedBy.eventId)] : [];
    try {
      await transactWrite(this.doc, [
        {
          Put: {
            TableName: this.tableName,
            Item: toRow(payment, payment.version + 1),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': payment.version },
          },
        },
        ...marker,
        ...outbox.writes,
      ]);
    } catch (error) {
      if (causedBy && wasAlreadyProcessed(error, 1)) return 'duplicate';
      if (transactionCancellationCodes(error) !== undefined) {
        throw new ConcurrentModificationError(`the payment of order ${payment.orderId} changed meanwhile; retry with its current state`, { orderId: payment.orderId });
      }
      throw error;
    }
    payment.pullEvents();
    outbox.committed();
    return 'saved';
  }

  async findByOrderId(orderId: string): Promise<Payment | null> {
    if (!canNameOrder(orderId)) return null;
    const result = await this.doc.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': orderPartition(orderId) }, ConsistentRead: true }),
    );
    const rows = result.Items ?? [];
    const payment = rows.find((row) => row['sk'] === 'PAYMENT') as PaymentRow | undefined;
    const closed = rows.find((row) => row['sk'] === 'CLOSED') as ClosedOrderRow | undefined;
    return payment ? fromRow(payment, closed?.closedAs) : null;
  }

  async findByOrderIds(orderIds: readonly string[]): Promise<Payment[]> {
    const unique = [...new Set(orderIds)].filter(canNameOrder);
    if (unique.length === 0) return [];
    // The graph shows a payment's own state; whether its order was cancelled or confirmed is Orders' to say.
    const rows = await batchGetAll<PaymentRow>(this.doc, this.tableName, unique.map(paymentKey), { consistentRead: true });
    return rows.map((row) => fromRow(row, undefined));
  }

  async rememberClosedOrder(orderId: string, closure: OrderClosure, at: Date): Promise<void> {
    if (!canNameOrder(orderId)) return;
    const item: ClosedOrderRow = { ...closedKey(orderId), orderId, closedAs: closure, closedAt: at.toISOString() };
    // A cancellation replaces a remembered confirmation; anything else is written only where nothing is remembered.
    const condition =
      closure === 'CANCELLED'
        ? { ConditionExpression: 'attribute_not_exists(pk) OR closedAs <> :cancelled', ExpressionAttributeValues: { ':cancelled': 'CANCELLED' } }
        : { ConditionExpression: 'attribute_not_exists(pk)' };
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
    } catch (error) {
      // Remembered already, the same way or a prevailing one (a redelivered event, or news arriving out of order).
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async wasProcessed(causedBy: CausingEvent): Promise<boolean> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: processedKey(causedBy.consumer, causedBy.eventId), ConsistentRead: true }));
    return result.Item !== undefined;
  }

  async markProcessed(causedBy: CausingEvent): Promise<'marked' | 'duplicate'> {
    try {
      await this.doc.send(new PutCommand(processedEventPut(this.tableName, causedBy.consumer, causedBy.eventId).Put));
      return 'marked';
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return 'duplicate';
      throw error;
    }
  }
}

/** How the order was closed, from the closure row a refused create got back (the stronger closure if it says nothing). */
function closureOf(error: unknown): OrderClosure {
  const item = (error as { CancellationReasons?: { Item?: Record<string, AttributeValue> }[] }).CancellationReasons?.[1]?.Item;
  const closedAs = item ? (unmarshall(item) as Partial<ClosedOrderRow>).closedAs : undefined;
  return closedAs === 'CONFIRMED' ? 'CONFIRMED' : 'CANCELLED';
}
