import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError, ConflictError, type Page, type PageRequest } from '../../../lib/ddd';
import {
  batchGetAll,
  isTransactionConflict,
  queryIndexPage,
  queryShardedIndexPage,
  shardKey,
  transactWrite,
  transactionCancellationCodes,
} from '../../../lib/dynamodb';
import { processedEventPut, wasAlreadyProcessed, type OutboxWriter } from '../../../lib/events';
import { Order } from '../domain/order';
import { OrderItem } from '../domain/order-item';
import type { CausingEvent, CreateOrderResult, OrderRepository } from '../domain/order-repository';
import type { OrderStatus } from '../domain/order-status';
import { ORDERS_INDEXES, allOrdersList, ordersWithStatusList } from './orders-table';

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
  version: number;
}

const orderKey = (id: string) => ({ pk: `ORDER#${id}`, sk: 'ORDER' });

/**
 * DynamoDB rejects a partition key over 2048 bytes with a ValidationException. Order ids come from clients
 * (`order(id:)`, mutations, `_entities`); one that long cannot name an order, so it is simply not found instead
 * of failing the whole request.
 */
const MAX_PARTITION_KEY_BYTES = 2048;
const canNameOrder = (id: string) => Buffer.byteLength(orderKey(id).pk, 'utf8') <= MAX_PARTITION_KEY_BYTES;

/**
 * Customer ids (JWT `sub`) and idempotency keys may both contain `#`: the customer id is escaped so the first
 * `#` after it always ends it. Unescaped, customer `a` with key `b#c` and customer `a#b` with key `c` would share
 * one key item, and one of them would be handed the other's order.
 */
const escapeKeyPart = (value: string) => value.replaceAll('%', '%25').replaceAll('#', '%23');
const idempotencyKey = (customerId: string, key: string) => ({ pk: `IDEMPOTENCY#${escapeKeyPart(customerId)}#${key}`, sk: 'IDEMPOTENCY' });

function toRow(order: Order, version: number): OrderRow {
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
    version,
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
    version: row.version,
  });
}

/** Orders in DynamoDB, with optimistic concurrency on `version` and idempotency keys claimed transactionally. */
export class DynamoOrderRepository implements OrderRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(order: Order, key?: string): Promise<CreateOrderResult> {
    const outbox = this.outbox.prepare(order.peekEvents());
    const items = [
      { Put: { TableName: this.tableName, Item: toRow(order, 1), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(key
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...idempotencyKey(order.customerId, key), orderId: order.id, createdAt: order.placedAt.toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...outbox.writes,
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      const codes = transactionCancellationCodes(error);
      // Lost to a concurrent call with the same key: its condition failed, or (rarely) the transaction was
      // still contended after transactWrite's retries. Either way the key's order, once committed, is the answer.
      if (key && (codes?.[1] === 'ConditionalCheckFailed' || isTransactionConflict(error))) {
        const existing = await this.findIdByIdempotencyKey(order.customerId, key);
        if (existing) return { created: false, existingOrderId: existing };
      }
      if (codes?.[0] === 'ConditionalCheckFailed') throw new ConflictError(`order ${order.id} already exists`);
      if (isTransactionConflict(error)) {
        throw new ConflictError('the order could not be stored because of concurrent requests; try again', { orderId: order.id });
      }
      throw error;
    }
    order.pullEvents();
    outbox.committed();
    return { created: true };
  }

  async save(order: Order, causedBy?: CausingEvent): Promise<'saved' | 'duplicate'> {
    const events = order.peekEvents();
    if (events.length === 0) return 'saved';
    const outbox = this.outbox.prepare(events);
    const marker = causedBy ? [processedEventPut(this.tableName, causedBy.consumer, causedBy.eventId)] : [];
    const items = [
      {
        Put: {
          TableName: this.tableName,
          Item: toRow(order, order.version + 1),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': order.version },
        },
      },
      ...marker,
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
    order.pullEvents();
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

  async findIdByIdempotencyKey(customerId: string, key: string): Promise<string | null> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: idempotencyKey(customerId, key), ConsistentRead: true }),
    );
    return (result.Item?.['orderId'] as string | undefined) ?? null;
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
