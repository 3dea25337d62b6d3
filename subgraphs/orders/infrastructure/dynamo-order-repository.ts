import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Address, ConcurrentModificationError, ConflictError, type AddressProps, type Page, type PageRequest } from '../../../lib/ddd';
import {
  batchGetAll,
  isTransactionConflict,
  queryIndexPage,
  queryShardedIndexPage,
  queryShards,
  shardKey,
  transactWrite,
  transactionCancellationCodes,
} from '../../../lib/dynamodb';
import { PROCESSED_TTL_ATTRIBUTE, processedEventPut, wasAlreadyProcessed, type OutboxWriter } from '../../../lib/events';
import { Order } from '../domain/order';
import { OrderItem } from '../domain/order-item';
import type { ConfirmationCause } from '../domain/order-events';
import type { CausingEvent, CreateOrderResult, IdempotencyClaim, IdempotencyRecord, OrderRepository } from '../domain/order-repository';
import type { OrderStatus } from '../domain/order-status';
import { claimReservationWrite, releaseLimitsWrites } from './dynamo-customer-limits';
import { ORDERS_INDEXES, allOrdersList, escapeKeyPart, ordersWithStatusList, paymentDueList } from './orders-table';

interface OrderItemRow {
  productId: string;
  productName: string;
  unitPriceAmount: number;
  quantity: number;
}

interface OrderRow {
  pk: string;
  sk: string;
  customerKey: string;
  customerStatusKey: string;
  listShardKey: string;
  statusShardKey: string;
  placedKey: string;
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  items: OrderItemRow[];
  placedAt: string;
  updatedAt: string;
  cancellationReason?: string;
  paymentDueAt?: string;
  /** Present while PENDING with a deadline: the keys of the sparse `paymentDue` index. */
  paymentDuePk?: string;
  paymentDueSk?: string;
  countsAgainstLimits?: boolean;
  shippingAddress?: AddressProps;
  email?: string;
  confirmedBy?: ConfirmationCause;
  version: number;
  /** Writes of the row (optimistic concurrency); rows written before it existed have none and count as their version. */
  revision?: number;
}

const orderKey = (id: string) => ({ pk: `ORDER#${id}`, sk: 'ORDER' });

/**
 * DynamoDB rejects a partition key over 2048 bytes with a ValidationException. Order ids come from clients
 * (`order(id:)`, mutations, `_entities`); one that long cannot name an order, so it is simply not found instead
 * of failing the whole request.
 */
const MAX_PARTITION_KEY_BYTES = 2048;
const canNameOrder = (id: string) => Buffer.byteLength(orderKey(id).pk, 'utf8') <= MAX_PARTITION_KEY_BYTES;

const idempotencyKey = (customerId: string, key: string) => ({ pk: `IDEMPOTENCY#${escapeKeyPart(customerId)}#${key}`, sk: 'IDEMPOTENCY' });
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The key row: which order it names, the request fingerprint it is bound to, and `expiresAt` (epoch seconds), the
 * table's TTL attribute, so DynamoDB deletes it some time after it expired. Until then the condition below
 * lets a new request claim an expired key.
 */
function idempotencyPut(tableName: string, order: Order, claim: IdempotencyClaim) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...idempotencyKey(claim.customerId, claim.key),
        orderId: order.id,
        createdAt: order.placedAt.toISOString(),
        fingerprint: claim.fingerprint,
        [PROCESSED_TTL_ATTRIBUTE]: epochSeconds(claim.expiresAt),
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #expires <= :now',
      ExpressionAttributeNames: { '#expires': PROCESSED_TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':now': epochSeconds(claim.now) },
    },
  };
}

function toRow(order: Order, revision: number): OrderRow {
  const state = order.snapshot();
  return {
    ...orderKey(state.id),
    customerKey: `CUSTOMER#${state.customerId}`,
    customerStatusKey: `CUSTOMER#${state.customerId}#${state.status}`,
    listShardKey: shardKey(allOrdersList, state.id),
    statusShardKey: shardKey(ordersWithStatusList(state.status), state.id),
    placedKey: `${state.placedAt.toISOString()}#${state.id}`,
    id: state.id,
    customerId: state.customerId,
    status: state.status,
    currency: order.total.currency,
    items: state.items.map((item) => ({
      productId: item.productId,
      productName: item.productName,
      unitPriceAmount: item.unitPrice.amount,
      quantity: item.quantity,
    })),
    placedAt: state.placedAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
    ...(state.cancellationReason !== undefined ? { cancellationReason: state.cancellationReason } : {}),
    ...(state.paymentDueAt !== undefined ? { paymentDueAt: state.paymentDueAt.toISOString() } : {}),
    ...(state.status === 'PENDING' && state.paymentDueAt !== undefined
      ? { paymentDuePk: shardKey(paymentDueList, state.id), paymentDueSk: `${state.paymentDueAt.toISOString()}#${state.id}` }
      : {}),
    ...(state.countsAgainstLimits ? { countsAgainstLimits: true } : {}),
    ...(state.shippingAddress ? { shippingAddress: state.shippingAddress.toJSON() } : {}),
    ...(state.email !== undefined ? { email: state.email } : {}),
    ...(state.confirmedBy !== undefined ? { confirmedBy: state.confirmedBy } : {}),
    version: order.versionAfterChanges,
    revision,
  };
}

function fromRow(row: OrderRow): Order {
  return Order.restore({
    id: row.id,
    customerId: row.customerId,
    status: row.status,
    items: row.items.map((item) =>
      OrderItem.of({
        productId: item.productId,
        productName: item.productName,
        unitPrice: { amount: item.unitPriceAmount, currency: row.currency },
        quantity: item.quantity,
      }),
    ),
    placedAt: new Date(row.placedAt),
    updatedAt: new Date(row.updatedAt),
    cancellationReason: row.cancellationReason,
    paymentDueAt: row.paymentDueAt !== undefined ? new Date(row.paymentDueAt) : undefined,
    countsAgainstLimits: row.countsAgainstLimits === true,
    shippingAddress: row.shippingAddress ? Address.restore(row.shippingAddress) : undefined,
    email: row.email,
    confirmedBy: row.confirmedBy,
    version: row.version,
    revision: row.revision ?? row.version,
  });
}

/** Orders in DynamoDB, with optimistic concurrency on `version` and idempotency keys claimed transactionally. */
export class DynamoOrderRepository implements OrderRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(order: Order, claim?: IdempotencyClaim): Promise<CreateOrderResult> {
    const outbox = this.outbox.prepare(order.peekEvents());
    const key = claim?.key;
    const items = [
      { Put: { TableName: this.tableName, Item: toRow(order, order.snapshot().revision), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(claim ? [idempotencyPut(this.tableName, order, claim)] : []),
      // A capped order claims the caps share its placement reserved: both commit, or neither.
      ...(order.snapshot().countsAgainstLimits ? [claimReservationWrite(this.tableName, order)] : []),
      ...outbox.writes,
    ];
    const reservationAt = claim ? 2 : 1;
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      const codes = transactionCancellationCodes(error);
      // Lost to a concurrent call with the same key: its condition failed, or (rarely) the transaction was
      // still contended after transactWrite's retries. Either way the key's order, once committed, is the answer.
      if (key && (codes?.[1] === 'ConditionalCheckFailed' || isTransactionConflict(error))) {
        const existing = await this.findIdempotencyKey(order.customerId, key);
        if (existing) return { created: false, existingOrderId: existing.orderId };
      }
      if (codes?.[0] === 'ConditionalCheckFailed') throw new ConflictError(`order ${order.id} already exists`);
      if (order.snapshot().countsAgainstLimits && codes?.[reservationAt] === 'ConditionalCheckFailed') {
        // The reservation was given back as abandoned: this placement ran past every deadline. Nothing was written.
        throw new ConflictError('placing the order took too long and was abandoned; try again', { orderId: order.id });
      }
      if (isTransactionConflict(error)) {
        throw new ConflictError('the order could not be stored because of concurrent requests; try again', { orderId: order.id });
      }
      throw error;
    }
    order.markSaved();
    outbox.committed();
    return { created: true };
  }

  async save(order: Order, causedBy?: CausingEvent): Promise<'saved' | 'duplicate'> {
    if (!order.hasUnsavedChanges) return 'saved';
    const outbox = this.outbox.prepare(order.peekEvents());
    const { revision } = order.snapshot();
    const marker = causedBy ? [processedEventPut(this.tableName, causedBy.consumer, causedBy.eventId)] : [];
    const items = [
      {
        Put: {
          TableName: this.tableName,
          Item: toRow(order, revision + 1),
          // Rows from before revisions were written count their version as their revision.
          ConditionExpression: 'revision = :expected OR (attribute_not_exists(revision) AND version = :expected)',
          ExpressionAttributeValues: { ':expected': revision },
        },
      },
      ...marker,
      // Leaving PENDING gives the order's caps share back in the same write (docs/architecture.md §4, caps).
      ...(order.releasesCustomerLimits ? releaseLimitsWrites(this.tableName, order) : []),
      ...outbox.writes,
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (causedBy && wasAlreadyProcessed(error, 1)) return 'duplicate';
      if (transactionCancellationCodes(error) !== undefined) {
        throw new ConcurrentModificationError(`order ${order.id} was changed by someone else meanwhile; retry with its current state`, {
          orderId: order.id,
        });
      }
      throw error;
    }
    order.markSaved();
    outbox.committed();
    return 'saved';
  }

  async findById(id: string): Promise<Order | null> {
    if (!canNameOrder(id)) return null;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: orderKey(id), ConsistentRead: true }));
    return result.Item ? fromRow(result.Item as OrderRow) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Order[]> {
    const unique = [...new Set(ids)].filter(canNameOrder);
    if (unique.length === 0) return [];
    const rows = await batchGetAll<OrderRow>(this.doc, this.tableName, unique.map(orderKey), { consistentRead: true });
    return rows.map(fromRow);
  }

  async findIdempotencyKey(customerId: string, key: string): Promise<IdempotencyRecord | null> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: idempotencyKey(customerId, key), ConsistentRead: true }),
    );
    const item = result.Item;
    if (!item || typeof item['orderId'] !== 'string') return null;
    const expires = item[PROCESSED_TTL_ATTRIBUTE];
    return {
      orderId: item['orderId'],
      fingerprint: typeof item['fingerprint'] === 'string' ? item['fingerprint'] : undefined,
      expiresAt: typeof expires === 'number' ? new Date(expires * 1000) : undefined,
    };
  }

  async listOverdue(now: Date, limit: number): Promise<Order[]> {
    const rows = await queryShards<OrderRow>(this.doc, {
      tableName: this.tableName,
      index: ORDERS_INDEXES.paymentDue,
      list: paymentDueList,
      newestFirst: false,
      limit,
      until: `${now.toISOString()}#\uffff`,
    });
    return rows.slice(0, limit).map(fromRow);
  }

  listByCustomer(customerId: string, query: { status?: OrderStatus | undefined } & PageRequest): Promise<Page<Order>> {
    return queryIndexPage(this.doc, {
      tableName: this.tableName,
      index: query.status ? ORDERS_INDEXES.byCustomerStatus : ORDERS_INDEXES.byCustomer,
      partition: query.status ? `CUSTOMER#${customerId}#${query.status}` : `CUSTOMER#${customerId}`,
      page: query,
      newestFirst: true,
      toNode: (row: OrderRow) => fromRow(row),
    });
  }

  list(query: { status?: OrderStatus | undefined } & PageRequest): Promise<Page<Order>> {
    return queryShardedIndexPage(this.doc, {
      tableName: this.tableName,
      index: query.status ? ORDERS_INDEXES.allOrdersByStatus : ORDERS_INDEXES.allOrders,
      list: query.status ? ordersWithStatusList(query.status) : allOrdersList,
      page: query,
      newestFirst: true,
      toNode: (row: OrderRow) => fromRow(row),
    });
  }
}
