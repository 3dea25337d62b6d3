import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { testDynamoClients, uniquePrefix } from '../../test/support/services';
import { batchGetAll } from './batch-get';
import type { DynamoClients } from './client';
import { ensureTable } from './table-definition';

interface Row {
  pk: string;
  sk: string;
  payload?: string;
}

let dynamo: DynamoClients;
const tableName = `${uniquePrefix('batch-get')}table`;
/** BatchGetItem calls and the number of keys each asked for, recorded on the client as the SDK sends them. */
const calls: number[] = [];

const key = (n: number) => ({ pk: `ITEM#${n}`, sk: 'ITEM' });

async function putAll(rows: Row[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 25) {
    let pending = rows.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const result = await dynamo.doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
}

beforeAll(async () => {
  dynamo = testDynamoClients();
  await ensureTable(dynamo.client, tableName, { partitionKey: 'pk', sortKey: 'sk', indexes: [] });
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'BatchGetItemCommand') {
        const input = args.input as { RequestItems: Record<string, { Keys: unknown[] }> };
        calls.push(input.RequestItems[tableName]?.Keys.length ?? 0);
      }
      return next(args);
    },
    { step: 'initialize', name: 'countBatchGets' },
  );
});

afterAll(async () => {
  await dynamo.client.send(new DeleteTableCommand({ TableName: tableName }));
  dynamo.client.destroy();
});

describe('batchGetAll against DynamoDB Local', () => {
  it('asks for at most 100 keys per BatchGetItem call and returns every item found', async () => {
    await putAll(Array.from({ length: 250 }, (_, n) => ({ ...key(n) })));
    calls.length = 0;
    const keys = [...Array.from({ length: 250 }, (_, n) => key(n)), key(1000), key(1001)];
    const items = await batchGetAll<Row>(dynamo.doc, tableName, keys, { consistentRead: true });
    expect(calls).toEqual([100, 100, 52]);
    expect(items.map((item) => item.pk).sort()).toEqual(Array.from({ length: 250 }, (_, n) => `ITEM#${n}`).sort());
  });

  it('makes no call for no keys', async () => {
    calls.length = 0;
    expect(await batchGetAll<Row>(dynamo.doc, tableName, [])).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('retries the keys DynamoDB leaves unprocessed until every item is read', async () => {
    // BatchGetItem returns at most 16 MB; 60 items of ~390 KB make DynamoDB hand back UnprocessedKeys.
    const payload = 'x'.repeat(390 * 1024);
    await putAll(Array.from({ length: 60 }, (_, n) => ({ ...key(5000 + n), payload })));
    calls.length = 0;
    const items = await batchGetAll<Row>(dynamo.doc, tableName, Array.from({ length: 60 }, (_, n) => key(5000 + n)));
    expect(items).toHaveLength(60);
    expect(new Set(items.map((item) => item.pk)).size).toBe(60);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls[0]).toBe(60);
    expect(calls.slice(1).every((count) => count < 60)).toBe(true);
  }, 120_000);
});
