import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { MoneyProps } from '../../../lib/ddd';
import { isTransactionConflict, queryShards, shardKey, transactWrite, transactionCancellationCodes } from '../../../lib/dynamodb';
import { processedEventPut, wasAlreadyProcessed, type OutboxWriter } from '../../../lib/events';
import { StockHold, type HeldLine, type StockEffect, type StockHoldStatus } from '../domain/stock-hold';
import type { CausingEvent, HoldRefusal, StockHoldRepository } from '../domain/stock-hold-repository';
import { CATALOG_INDEXES, unclaimedHolds } from './catalog-table';
import { productKey } from './dynamo-product-repository';

interface HoldRow {
  pk: string;
  sk: 'HOLD';
  orderId: string;
  customerId: string;
  status: StockHoldStatus;
  lines: { productId: string; quantity: number; productName: string; unitPriceAmount: number; unitPriceCurrency: string }[];
  heldAt: string;
  expiresAt: string;
  updatedAt: string;
  /** Present only while no order claims the hold: the keys of the sparse `holdExpiry` index the sweep reads. */
  holdExpiryPk?: string;
  holdExpirySk?: string;
}

type TransactItems = Parameters<typeof transactWrite>[1];

const holdKey = (orderId: string) => ({ pk: `HOLD#${orderId}`, sk: 'HOLD' as const });

function toRow(hold: StockHold): HoldRow {
  const state = hold.snapshot();
  return {
    ...holdKey(state.orderId),
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    lines: state.lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      productName: line.productName,
      unitPriceAmount: line.unitPrice.amount,
      unitPriceCurrency: line.unitPrice.currency,
    })),
    heldAt: state.heldAt.toISOString(),
    expiresAt: state.expiresAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
    ...(state.status === 'HELD'
      ? { holdExpiryPk: shardKey(unclaimedHolds, state.orderId), holdExpirySk: `${state.expiresAt.toISOString()}#${state.orderId}` }
      : {}),
  };
}

function fromRow(row: HoldRow): StockHold {
  return StockHold.restore({
    orderId: row.orderId,
    customerId: row.customerId,
    status: row.status,
    lines: row.lines.map(
      (line): HeldLine => ({
        productId: line.productId,
        quantity: line.quantity,
        productName: line.productName,
        unitPrice: { amount: line.unitPriceAmount, currency: line.unitPriceCurrency },
      }),
    ),
    heldAt: new Date(row.heldAt),
    expiresAt: new Date(row.expiresAt),
    updatedAt: new Date(row.updatedAt),
  });
}

/** The update of one product's stock figures a hold's change makes (docs/architecture.md §4: holds, releases, sales). */
function productStockUpdate(tableName: string, productId: string, quantity: number, effect: Exclude<StockEffect, 'none'>, now: string) {
  const expressions: Record<typeof effect, string> = {
    // if_not_exists: products stored before holds existed have no reserved figure yet.
    take: 'SET stockQuantity = stockQuantity - :q, reservedQuantity = if_not_exists(reservedQuantity, :zero) + :q, updatedAt = :now',
    return: 'SET stockQuantity = stockQuantity + :q, reservedQuantity = if_not_exists(reservedQuantity, :q) - :q, updatedAt = :now',
    sell: 'SET reservedQuantity = if_not_exists(reservedQuantity, :q) - :q, updatedAt = :now',
  };
  return {
    Update: {
      TableName: tableName,
      Key: productKey(productId),
      UpdateExpression: expressions[effect],
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':q': quantity, ':now': now, ...(effect === 'take' ? { ':zero': 0 } : {}) },
    },
  };
}

/**
 * Stock holds in Catalog's table. A new hold is ONE TransactWriteItems over the hold row, every product it takes
 * units of (each conditional on enough units available and on the price the hold snapshots) and its outbox row:
 * all lines are held or none, and N concurrent holds of the last units cannot all succeed (DynamoDB serialises
 * the conditional updates of one item).
 */
export class DynamoStockHoldRepository implements StockHoldRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: OutboxWriter,
  ) {}

  async findByOrderId(orderId: string): Promise<StockHold | null> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: holdKey(orderId), ConsistentRead: true }));
    return result.Item ? fromRow(result.Item as HoldRow) : null;
  }

  async create(hold: StockHold, prices: ReadonlyMap<string, MoneyProps>): Promise<{ readonly stored: true } | { readonly stored: false; readonly refusal: HoldRefusal }> {
    const outbox = this.outbox.prepare(hold.peekEvents());
    const now = hold.snapshot().updatedAt.toISOString();
    const takes = hold.lines.map((line) => {
      const price = prices.get(line.productId);
      if (!price) throw new Error(`no expected price for product ${line.productId}`);
      const update = productStockUpdate(this.tableName, line.productId, line.quantity, 'take', now).Update;
      return {
        Update: {
          ...update,
          ConditionExpression: 'attribute_exists(pk) AND stockQuantity >= :q AND priceAmount = :amount AND priceCurrency = :currency',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':amount': price.amount, ':currency': price.currency },
          // The product as it was when its condition failed: how many units were available (the error names them).
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      };
    });
    try {
      await transactWrite(this.doc, [
        { Put: { TableName: this.tableName, Item: toRow(hold), ConditionExpression: 'attribute_not_exists(pk)' } },
        ...takes,
        ...outbox.writes,
      ]);
    } catch (error) {
      const refusal = refusalOf(error, hold);
      if (refusal) return { stored: false, refusal };
      throw error;
    }
    hold.pullEvents();
    hold.markStored();
    outbox.committed();
    return { stored: true };
  }

  async save(hold: StockHold, causedBy?: CausingEvent): Promise<'saved' | 'stale' | 'duplicate'> {
    const change = hold.pendingChange;
    if (!change || change.from === undefined) throw new Error(`stock hold ${hold.orderId} has no stored change to save`);
    const outbox = this.outbox.prepare(hold.peekEvents());
    const now = hold.snapshot().updatedAt.toISOString();
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: toRow(hold),
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': change.from },
        },
      },
      ...(causedBy ? [processedEventPut(this.tableName, causedBy.consumer, causedBy.eventId)] : []),
      ...(change.effect === 'none' ? [] : hold.lines.map((line) => productStockUpdate(this.tableName, line.productId, line.quantity, change.effect as Exclude<StockEffect, 'none'>, now))),
      ...outbox.writes,
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (causedBy && wasAlreadyProcessed(error, 1)) return 'duplicate';
      if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return 'stale';
      throw error;
    }
    hold.pullEvents();
    hold.markStored();
    outbox.committed();
    return 'saved';
  }

  async listExpired(now: Date, limit: number): Promise<StockHold[]> {
    const rows = await queryShards<HoldRow>(this.doc, {
      tableName: this.tableName,
      index: CATALOG_INDEXES.holdExpiry,
      list: unclaimedHolds,
      newestFirst: false,
      limit,
      until: `${now.toISOString()}#\uffff`,
    });
    return rows.slice(0, limit).map(fromRow);
  }
}

/** Why the hold transaction was cancelled, from the cancellation reason of each item (hold row first, then products). */
function refusalOf(error: unknown, hold: StockHold): HoldRefusal | undefined {
  const codes = transactionCancellationCodes(error);
  if (!codes) return undefined;
  if (isTransactionConflict(error)) return { kind: 'contended' };
  if (codes[0] === 'ConditionalCheckFailed') return { kind: 'exists' };
  const reasons = (error as { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] }).CancellationReasons ?? [];
  for (const [index, line] of hold.lines.entries()) {
    const reason = reasons[index + 1];
    if (reason?.Code !== 'ConditionalCheckFailed') continue;
    if (!reason.Item) return { kind: 'missing', productId: line.productId };
    const product = unmarshall(reason.Item) as { stockQuantity?: number; priceAmount?: number; priceCurrency?: string };
    const available = product.stockQuantity ?? 0;
    if (available < line.quantity) return { kind: 'short', productId: line.productId, requested: line.quantity, available };
    return { kind: 'repriced', productId: line.productId };
  }
  return undefined;
}
