import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { uniquePrefix } from '../../test/support/services';
import { createDynamoClients, type DynamoClients } from './client';
import { startDynamoDbLocal, type LocalDynamo } from './local';
import { ensureTable, type TableDefinition } from './table-definition';

/**
 * ensureTable on DynamoDB Local: a table made by an older definition (a kept `npm start` data directory) gains the
 * indexes a newer one adds, backfilled with the items already there, and running it again changes nothing.
 *
 * On a DynamoDB Local of its own: the run's shared instance, busy with every other test file's tables, has left a
 * new index CREATING for minutes, while an idle one builds it in about a second.
 */

let local: LocalDynamo;
let dynamo: DynamoClients;
const tableName = `${uniquePrefix('table-definition')}table`;
const byOwner = { name: 'byOwner', partitionKey: 'ownerKey', sortKey: 'createdKey' };
const byStatus = { name: 'byStatus', partitionKey: 'statusKey', sortKey: 'createdKey' };
const older: TableDefinition = { partitionKey: 'pk', sortKey: 'sk', indexes: [byOwner] };
const newer: TableDefinition = { partitionKey: 'pk', sortKey: 'sk', indexes: [byOwner, byStatus], timeToLiveAttribute: 'expiresAt' };
const byKind = { name: 'byKind', partitionKey: 'kindKey', sortKey: 'createdKey' };
const newest: TableDefinition = { ...newer, indexes: [byOwner, byStatus, byKind] };

/** ensureTable waits for an index to be backfilled, up to two minutes; DynamoDB Local on a busy machine is slow. */
const INDEX_BUILD_TIMEOUT_MS = 150_000;

const indexNames = async () =>
  ((await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? [])
    .map((index) => `${index.IndexName}:${index.IndexStatus}`)
    .sort();

beforeAll(async () => {
  local = await startDynamoDbLocal();
  dynamo = createDynamoClients({ endpoint: local.endpoint, region: 'us-east-1' });
  await ensureTable(dynamo.client, tableName, older);
});
afterAll(async () => {
  await dynamo?.client.send(new DeleteTableCommand({ TableName: tableName }));
  dynamo?.client.destroy();
  await local?.stop();
});

describe('ensureTable', () => {
  it('adds the indexes a newer definition has to an existing table, backfilled with its items', async () => {
    expect(await indexNames()).toEqual(['byOwner:ACTIVE']);
    for (const n of [1, 2, 3]) {
      await dynamo.doc.send(
        new PutCommand({ TableName: tableName, Item: { pk: `ITEM#${n}`, sk: 'ITEM', ownerKey: 'OWNER#a', statusKey: n === 2 ? 'DONE' : 'OPEN', createdKey: `2026-01-0${n}` } }),
      );
    }
    await ensureTable(dynamo.client, tableName, newer);
    expect(await indexNames()).toEqual(['byOwner:ACTIVE', 'byStatus:ACTIVE']);
    const open = await dynamo.doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: byStatus.name,
        KeyConditionExpression: 'statusKey = :s',
        ExpressionAttributeValues: { ':s': 'OPEN' },
        ConsistentRead: false,
      }),
    );
    expect((open.Items ?? []).map((item) => item['pk']).sort()).toEqual(['ITEM#1', 'ITEM#3']);
  }, INDEX_BUILD_TIMEOUT_MS);

  it('changes nothing when the table already matches', async () => {
    await ensureTable(dynamo.client, tableName, newer);
    expect(await indexNames()).toEqual(['byOwner:ACTIVE', 'byStatus:ACTIVE']);
  });

  it('waits for an index another process started to build before returning', async () => {
    await dynamo.client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: 'kindKey', AttributeType: 'S' },
          { AttributeName: 'createdKey', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: byKind.name,
              KeySchema: [
                { AttributeName: 'kindKey', KeyType: 'HASH' },
                { AttributeName: 'createdKey', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    await ensureTable(dynamo.client, tableName, newest);
    expect(await indexNames()).toEqual(['byKind:ACTIVE', 'byOwner:ACTIVE', 'byStatus:ACTIVE']);
  }, INDEX_BUILD_TIMEOUT_MS);

  it('lets processes that ensure one new table with a TTL at once all succeed', async () => {
    const twin = `${tableName}-ttl`;
    const withTtl: TableDefinition = { partitionKey: 'pk', sortKey: 'sk', indexes: [], timeToLiveAttribute: 'expiresAt' };
    try {
      await expect(Promise.all(Array.from({ length: 4 }, () => ensureTable(dynamo.client, twin, withTtl)))).resolves.toHaveLength(4);
      const ttl = await dynamo.client.send(new DescribeTimeToLiveCommand({ TableName: twin }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    } finally {
      await dynamo.client.send(new DeleteTableCommand({ TableName: twin })).catch(() => undefined);
    }
  });
});
