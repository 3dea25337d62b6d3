import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ConcurrentModificationError, ConflictError, ErrorCode, ValidationError } from '../../../lib/ddd';
import { ensureTable, type DynamoClients } from '../../../lib/dynamodb';
import { OutboxWriter, allPendingOutboxItems } from '../../../lib/events';
import { testDynamoClients, uniquePrefix } from '../../../test/support/services';
import { Product, type NewProduct } from '../domain/product';
import { catalogTable } from './catalog-table';
import { DynamoProductRepository } from './dynamo-product-repository';

let dynamo: DynamoClients;
let repository: DynamoProductRepository;
const tableName = `${uniquePrefix('product-repo')}catalog`;

let clockMs = Date.UTC(2026, 0, 1);
let idCounter = 0;
/** Distinct, increasing creation times: list order is creation order, so each product gets its own instant. */
function newProduct(overrides: Partial<NewProduct> = {}): Product {
  idCounter += 1;
  clockMs += 1000;
  const id = `00000000-0000-4000-8000-${String(idCounter).padStart(12, '0')}`;
  return Product.create(
    {
      sku: `SKU-${idCounter}`,
      name: `Product ${idCounter}`,
      category: 'repo-tests',
      price: { amount: 100 * idCounter, currency: 'USD' },
      stockQuantity: idCounter,
      ...overrides,
    },
    { id, now: new Date(clockMs) },
  );
}

async function pendingOutboxEvents(): Promise<{ type: string; data: { productId: string } }[]> {
  const items = await allPendingOutboxItems(dynamo.doc, tableName);
  return items.map((item) => JSON.parse(item.event) as { type: string; data: { productId: string } });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  dynamo = testDynamoClients();
  await ensureTable(dynamo.client, tableName, catalogTable);
  repository = new DynamoProductRepository(dynamo.doc, tableName, new OutboxWriter(tableName));
});

afterAll(async () => {
  await dynamo.client.send(new DeleteTableCommand({ TableName: tableName }));
  dynamo.client.destroy();
});

describe('DynamoProductRepository', () => {
  it('stores a product and reads it back unchanged', async () => {
    const product = newProduct({ description: 'Stored and read back' });
    const state = product.snapshot();
    await repository.create(product);
    const found = await repository.findById(product.id);
    expect(found?.snapshot()).toEqual(state);
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(product.peekEvents()).toEqual([]);
  });

  it('returns null for an unknown id, also one too long to be a DynamoDB key', async () => {
    expect(await repository.findById('00000000-0000-4000-8000-999999999999')).toBeNull();
    expect(await repository.findById('x'.repeat(3000))).toBeNull();
    expect(await repository.findByIds(['x'.repeat(3000)])).toEqual([]);
  });

  it('writes the product and its product.created event in one transaction', async () => {
    const product = newProduct();
    await repository.create(product);
    const events = (await pendingOutboxEvents()).filter((event) => event.data.productId === product.id);
    expect(events.map((event) => event.type)).toEqual(['product.created']);
  });

  it('refuses a duplicate SKU with CONFLICT and writes nothing for the loser', async () => {
    const first = newProduct({ sku: 'DUP-SKU-1' });
    await repository.create(first);
    const second = newProduct({ sku: 'DUP-SKU-1' });
    const error = await rejection(repository.create(second));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe(ErrorCode.CONFLICT);
    expect((error as ConflictError).message).toBe('a product with SKU DUP-SKU-1 already exists');
    expect((error as ConflictError).details).toEqual({ field: 'sku', value: 'DUP-SKU-1' });
    expect(await repository.findById(second.id)).toBeNull();
    expect((await pendingOutboxEvents()).filter((event) => event.data.productId === second.id)).toEqual([]);
    expect(second.peekEvents()).toHaveLength(1);
  });

  it('lets exactly one of several concurrent creates with the same SKU win', async () => {
    const contenders = Array.from({ length: 5 }, () => newProduct({ sku: 'RACE-SKU-1', category: 'race' }));
    const results = await Promise.allSettled(contenders.map((product) => repository.create(product)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect((result.reason as ConflictError).code).toBe(ErrorCode.CONFLICT);
    }
    const listed = await repository.list({ category: 'race', first: 10, after: undefined });
    expect(listed.edges).toHaveLength(1);
  });

  it('saves changes with an incremented version and refuses a stale write', async () => {
    const product = newProduct();
    await repository.create(product);
    const copyA = (await repository.findById(product.id))!;
    const copyB = (await repository.findById(product.id))!;
    copyA.update({ name: 'Renamed by A' }, new Date(clockMs + 1));
    await repository.save(copyA);
    const saved = (await repository.findById(product.id))!;
    expect(saved.version).toBe(2);
    expect(saved.name).toBe('Renamed by A');
    expect((await pendingOutboxEvents()).filter((event) => event.data.productId === product.id).map((event) => event.type).sort()).toEqual([
      'product.created',
      'product.updated',
    ]);

    copyB.update({ name: 'Renamed by B' }, new Date(clockMs + 2));
    const error = await rejection(repository.save(copyB));
    expect(error).toBeInstanceOf(ConcurrentModificationError);
    expect((error as ConcurrentModificationError).code).toBe(ErrorCode.CONFLICT);
    expect((await repository.findById(product.id))!.name).toBe('Renamed by A');
  });

  it('does not write when nothing changed', async () => {
    const product = newProduct();
    await repository.create(product);
    const loaded = (await repository.findById(product.id))!;
    loaded.update({ name: loaded.name }, new Date(clockMs + 1));
    await repository.save(loaded);
    expect((await repository.findById(product.id))!.version).toBe(1);
  });

  it('reads many ids with duplicates and unknown ones, more than one BatchGetItem worth', async () => {
    const products = Array.from({ length: 3 }, () => newProduct({ category: 'batch' }));
    for (const product of products) await repository.create(product);
    const unknown = Array.from({ length: 120 }, (_, n) => `ffffffff-0000-4000-8000-${String(n).padStart(12, '0')}`);
    const ids = [...unknown.slice(0, 60), products[0]!.id, products[0]!.id, ...unknown.slice(60), products[1]!.id, products[2]!.id];
    const found = await repository.findByIds(ids);
    expect(found.map((product) => product.id).sort()).toEqual(products.map((product) => product.id).sort());
  });
});

describe('DynamoProductRepository.list', () => {
  const category = 'paging';
  const created: Product[] = [];

  beforeAll(async () => {
    for (let n = 0; n < 7; n += 1) {
      const product = newProduct({ category });
      await repository.create(product);
      created.push(product);
      // Another category interleaved: the category index must keep them apart.
      await repository.create(newProduct({ category: 'paging-other' }));
    }
  });

  it('pages through one category in creation order with no duplicates or gaps', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    const pageSizes: number[] = [];
    for (;;) {
      const page = await repository.list({ category, first: 3, after });
      pageSizes.push(page.edges.length);
      seen.push(...page.edges.map((edge) => edge.node.id));
      if (!page.hasNextPage) break;
      after = page.edges.at(-1)!.cursor;
    }
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(created.map((product) => product.id));
  });

  it('reports no next page when the last page is exactly full', async () => {
    const first = await repository.list({ category, first: 7, after: undefined });
    expect(first.edges).toHaveLength(7);
    expect(first.hasNextPage).toBe(false);
  });

  it('lists every category together without a filter', async () => {
    const all = await repository.list({ first: 100, after: undefined });
    const categories = new Set(all.edges.map((edge) => edge.node.category));
    expect(categories.has(category)).toBe(true);
    expect(categories.has('paging-other')).toBe(true);
  });

  it('moves a product to its new category index when the category changes', async () => {
    const moved = newProduct({ category: 'before-move' });
    await repository.create(moved);
    const loaded = (await repository.findById(moved.id))!;
    loaded.update({ category: 'after-move' }, new Date(clockMs + 1));
    await repository.save(loaded);
    expect((await repository.list({ category: 'before-move', first: 10, after: undefined })).edges).toEqual([]);
    expect((await repository.list({ category: 'after-move', first: 10, after: undefined })).edges.map((edge) => edge.node.id)).toEqual([moved.id]);
  });

  it('refuses a cursor of another category or a made-up one with BAD_USER_INPUT', async () => {
    const otherPage = await repository.list({ category: 'paging-other', first: 1, after: undefined });
    const foreign = otherPage.edges[0]!.cursor;
    const error = await rejection(repository.list({ category, first: 3, after: foreign }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('after');
    const allPage = await repository.list({ first: 1, after: undefined });
    expect(await rejection(repository.list({ category, first: 3, after: allPage.edges[0]!.cursor }))).toBeInstanceOf(ValidationError);
    expect(await rejection(repository.list({ category, first: 3, after: 'bm90LWEtY3Vyc29y' }))).toBeInstanceOf(ValidationError);
  });
});
