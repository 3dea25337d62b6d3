import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { testDynamoClients, uniquePrefix } from '../../test/support/services';
import { ensureTable } from '../dynamodb';
import { PROCESSED_TTL_ATTRIBUTE, processedEventPut, processedKey, wasAlreadyProcessed } from './idempotency';

const { client, doc } = testDynamoClients();
const tableName = `${uniquePrefix('idempotency')}table`;

beforeAll(async () => {
  await ensureTable(client, tableName, { partitionKey: 'pk', sortKey: 'sk', indexes: [], timeToLiveAttribute: PROCESSED_TTL_ATTRIBUTE });
}, 60_000);
afterAll(() => client.destroy());

/** A consumer's effect (points added to an account) and its processed record, in one transaction. */
async function handle(eventId: string, points: number, options: { accountMustBeNew?: boolean } = {}): Promise<'applied' | 'duplicate'> {
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: { pk: 'ACCOUNT#customer-1', sk: 'ACCOUNT' },
              UpdateExpression: 'ADD points :points',
              ExpressionAttributeValues: { ':points': points },
              ...(options.accountMustBeNew ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
            },
          },
          processedEventPut(tableName, 'rewards', eventId),
        ],
      }),
    );
    return 'applied';
  } catch (error) {
    if (wasAlreadyProcessed(error, 1)) return 'duplicate';
    throw error;
  }
}

async function points(): Promise<number | undefined> {
  const result = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'ACCOUNT#customer-1', sk: 'ACCOUNT' }, ConsistentRead: true }));
  return result.Item?.['points'] as number | undefined;
}

describe('consumer idempotency', () => {
  it('builds the processed record with its key, TTL and condition', () => {
    const now = new Date('2025-03-01T12:00:00.000Z');
    expect(processedEventPut('table-a', 'rewards', 'event-1', 7, now)).toEqual({
      Put: {
        TableName: 'table-a',
        Item: {
          pk: 'PROCESSED#rewards#event-1',
          sk: 'PROCESSED',
          consumer: 'rewards',
          eventId: 'event-1',
          processedAt: '2025-03-01T12:00:00.000Z',
          expiresAt: Math.floor(now.getTime() / 1000) + 7 * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    expect(processedKey('orders', 'e')).toEqual({ pk: 'PROCESSED#orders#e', sk: 'PROCESSED' });
    expect(() => processedEventPut('table-a', '', 'event-1')).toThrow(/needs a consumer and an event id/);
    expect(() => processedEventPut('table-a', 'rewards', 'event-1', 0)).toThrow(/ttlDays must be positive/);
  });

  it('applies an event once: a redelivery is recognised as already processed and changes nothing', async () => {
    expect(await handle('event-a', 10)).toBe('applied');
    expect(await points()).toBe(10);
    expect(await handle('event-a', 10)).toBe('duplicate');
    expect(await handle('event-a', 10)).toBe('duplicate');
    expect(await points()).toBe(10);
    expect(await handle('event-b', 5)).toBe('applied');
    expect(await points()).toBe(15);

    const record = await doc.send(new GetCommand({ TableName: tableName, Key: processedKey('rewards', 'event-a'), ConsistentRead: true }));
    expect(record.Item).toMatchObject({ consumer: 'rewards', eventId: 'event-a', expiresAt: expect.any(Number) });
  });

  it('does not mistake another failed condition in the transaction for a duplicate', async () => {
    await expect(handle('event-c', 1, { accountMustBeNew: true })).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(await points()).toBe(15);
    expect(wasAlreadyProcessed(new Error('network down'), 1)).toBe(false);
    expect(wasAlreadyProcessed(undefined, 0)).toBe(false);
  });
});
