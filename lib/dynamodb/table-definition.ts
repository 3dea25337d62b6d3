import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/**
 * The physical shape of a context's table: all string keys, single-table style. The same definition feeds the
 * local bootstrap (`ensureTable`) and the CDK stack, so the two cannot drift apart.
 */
export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly indexes: readonly IndexDefinition[];
  readonly timeToLiveAttribute?: string;
}

const keyAttributes = (names: Iterable<string>) => [...new Set(names)].map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));

const indexSpec = (index: IndexDefinition) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

/**
 * Creates the table when missing, and adds the indexes a newer definition has to a table created by an older one
 * (a kept `npm start` data directory), so a release that adds an index needs no manual migration. Idempotent;
 * safe when several processes start at once.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string, definition: TableDefinition): Promise<void> {
  const existingIndexes = await tableIndexes(client, tableName);
  if (existingIndexes === undefined) {
    const attributes = [definition.partitionKey, definition.sortKey, ...definition.indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: keyAttributes(attributes),
          KeySchema: [
            { AttributeName: definition.partitionKey, KeyType: 'HASH' },
            { AttributeName: definition.sortKey, KeyType: 'RANGE' },
          ],
          ...(definition.indexes.length > 0 ? { GlobalSecondaryIndexes: definition.indexes.map(indexSpec) } : {}),
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
    } catch (error) {
      // Another process created it between our check and our create.
      if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  } else {
    for (const index of definition.indexes) {
      // An index already there may still be backfilling (added by another process, or by a start that stopped
      // while it was being built): wait for it too rather than query a half-built index.
      if (!existingIndexes.includes(index.name)) await addIndex(client, tableName, index);
      await waitForIndex(client, tableName, index.name);
    }
  }
  if (definition.timeToLiveAttribute) await ensureTimeToLive(client, tableName, definition.timeToLiveAttribute);
}

/** The names of the table's global secondary indexes, or undefined when there is no such table. */
async function tableIndexes(client: DynamoDBClient, tableName: string): Promise<string[] | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return (Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName ?? '');
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as { name?: string }).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw error;
  }
}

const INDEX_WAIT_MS = 120_000;

/**
 * Adds one index (UpdateTable creates one GSI per call). Another process adding the same index at the same
 * moment is fine.
 */
async function addIndex(client: DynamoDBClient, tableName: string, index: IndexDefinition): Promise<void> {
  try {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: keyAttributes([index.partitionKey, index.sortKey]),
        GlobalSecondaryIndexUpdates: [{ Create: indexSpec(index) }],
      }),
    );
  } catch (error) {
    const name = (error as { name?: string }).name;
    const message = (error as { message?: string }).message ?? '';
    const alreadyThere = name === 'ResourceInUseException' || (name === 'ValidationException' && /already exists/i.test(message));
    if (!alreadyThere) throw error;
  }
}

/** Waits until the index is ACTIVE, i.e. backfilled, failing with its last status after INDEX_WAIT_MS. */
async function waitForIndex(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  const deadline = Date.now() + INDEX_WAIT_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const status = Table?.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName)?.IndexStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`index ${indexName} of ${tableName} is still ${status ?? 'missing'} after ${INDEX_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }),
    );
  } catch (error) {
    // Two processes ensuring one table at once (services starting together) both saw it off; the second is told
    // it is on already, which is what it wanted.
    if (error instanceof Error && error.name === 'ValidationException' && /already enabled/i.test(error.message)) return;
    throw error;
  }
}
