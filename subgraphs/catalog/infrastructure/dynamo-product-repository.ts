import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError, ConflictError, type Page, type PageRequest } from '../../../lib/ddd';
import { batchGetAll, queryIndexPage, transactWrite, transactionCancellationCodes } from '../../../lib/dynamodb';
import type { OutboxWriter } from '../../../lib/events';
import { Product } from '../domain/product';
import type { ProductRepository } from '../domain/product-repository';
import { CATALOG_INDEXES } from './catalog-table';

interface ProductItem {
  pk: string;
  sk: string;
  typeKey: 'PRODUCT';
  categoryKey: string;
  listKey: string;
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceAmount: number;
  priceCurrency: string;
  stockQuantity: number;
  /** Absent on rows written before stock holds existed (read as 0). */
  reservedQuantity?: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const productKey = (id: string) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' });

/**
 * DynamoDB rejects a partition key over 2048 bytes with a ValidationException. Ids come from clients
 * (`product(id:)`, `_entities`, mutations); one that long cannot name a product, so it is simply not found
 * instead of failing the whole request.
 */
const MAX_PARTITION_KEY_BYTES = 2048;
const canNameProduct = (id: string) => typeof id === 'string' && Buffer.byteLength(productKey(id).pk, 'utf8') <= MAX_PARTITION_KEY_BYTES;
const skuKey = (sku: string) => ({ pk: `SKU#${sku}`, sk: 'SKU' });

function toItem(product: Product, version: number): ProductItem {
  const state = product.snapshot();
  return {
    ...productKey(state.id),
    typeKey: 'PRODUCT',
    categoryKey: `CATEGORY#${state.category}`,
    listKey: `${state.createdAt.toISOString()}#${state.id}`,
    id: state.id,
    sku: state.sku,
    name: state.name,
    description: state.description,
    category: state.category,
    priceAmount: state.price.amount,
    priceCurrency: state.price.currency,
    stockQuantity: state.stockQuantity,
    reservedQuantity: state.reservedQuantity,
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
    version,
  };
}

export function fromItem(item: ProductItem): Product {
  return Product.restore({
    id: item.id,
    sku: item.sku,
    name: item.name,
    description: item.description,
    category: item.category,
    price: { amount: item.priceAmount, currency: item.priceCurrency },
    stockQuantity: item.stockQuantity,
    reservedQuantity: item.reservedQuantity ?? 0,
    createdAt: new Date(item.createdAt),
    updatedAt: new Date(item.updatedAt),
    version: item.version,
  });
}

/** Products in DynamoDB. Reads of single products are strongly consistent: they feed HTTP caches and ETags. */
export class DynamoProductRepository implements ProductRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(product: Product): Promise<void> {
    const outbox = this.outbox.prepare(product.peekEvents());
    try {
      await transactWrite(this.doc, [
        { Put: { TableName: this.tableName, Item: toItem(product, 1), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...skuKey(product.sku), productId: product.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...outbox.writes,
      ]);
    } catch (error) {
      const codes = transactionCancellationCodes(error);
      if (codes?.[1] === 'ConditionalCheckFailed') {
        throw new ConflictError(`a product with SKU ${product.sku} already exists`, { field: 'sku', value: product.sku });
      }
      if (codes?.[0] === 'ConditionalCheckFailed') throw new ConflictError(`product ${product.id} already exists`);
      throw error;
    }
    product.pullEvents();
    outbox.committed();
  }

  /**
   * Writes the descriptive fields if the version is still the one read, and a restock (the available quantity) if
   * that is still the one read too. Only the changed attributes are set: a whole-item Put would write back stock
   * figures read before a concurrent hold and undo it.
   */
  async save(product: Product): Promise<void> {
    const events = product.peekEvents();
    if (events.length === 0) return;
    const outbox = this.outbox.prepare(events);
    const state = product.snapshot();
    const restock = product.pendingRestock;
    try {
      await transactWrite(this.doc, [
        {
          Update: {
            TableName: this.tableName,
            Key: productKey(product.id),
            UpdateExpression:
              'SET #name = :name, description = :description, category = :category, categoryKey = :categoryKey, ' +
              `priceAmount = :amount, priceCurrency = :currency, updatedAt = :updatedAt, version = :next${restock ? ', stockQuantity = :stock' : ''}`,
            ConditionExpression: `version = :expected${restock ? ' AND stockQuantity = :stockAsRead' : ''}`,
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: {
              ':name': state.name,
              ':description': state.description,
              ':category': state.category,
              ':categoryKey': `CATEGORY#${state.category}`,
              ':amount': state.price.amount,
              ':currency': state.price.currency,
              ':updatedAt': state.updatedAt.toISOString(),
              ':next': product.version + 1,
              ':expected': product.version,
              ...(restock ? { ':stock': restock.to, ':stockAsRead': restock.from } : {}),
            },
          },
        },
        ...outbox.writes,
      ]);
    } catch (error) {
      if (transactionCancellationCodes(error) !== undefined) {
        throw new ConcurrentModificationError(`product ${product.id} was changed by someone else meanwhile; retry with its current state`);
      }
      throw error;
    }
    product.pullEvents();
    outbox.committed();
  }

  async findById(id: string): Promise<Product | null> {
    if (!canNameProduct(id)) return null;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: productKey(id), ConsistentRead: true }));
    return result.Item ? fromItem(result.Item as ProductItem) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Product[]> {
    const unique = [...new Set(ids)].filter(canNameProduct);
    if (unique.length === 0) return [];
    const items = await batchGetAll<ProductItem>(this.doc, this.tableName, unique.map(productKey), { consistentRead: true });
    return items.map(fromItem);
  }

  list(query: { category?: string | undefined } & PageRequest): Promise<Page<Product>> {
    return queryIndexPage(this.doc, {
      tableName: this.tableName,
      index: query.category !== undefined ? CATALOG_INDEXES.byCategory : CATALOG_INDEXES.allProducts,
      partition: query.category !== undefined ? `CATEGORY#${query.category}` : 'PRODUCT',
      page: query,
      toNode: (item: ProductItem) => fromItem(item),
    });
  }
}
