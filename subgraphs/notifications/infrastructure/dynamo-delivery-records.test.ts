import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ensureTable } from '../../../lib/dynamodb';
import { testDynamoClients, uniquePrefix } from '../../../test/support/services';
import type { DeliveryClaim, DeliveryKey } from '../domain/delivery-record';
import { DynamoDeliveryRecords } from './dynamo-delivery-records';
import { notificationsTable } from './notifications-table';

/** The idempotency store against DynamoDB Local: who may claim a delivery, and when. */

const dynamo = testDynamoClients();
let records: DynamoDeliveryRecords;
beforeAll(async () => {
  const tableName = `${uniquePrefix('delivery-records')}notifications`;
  await ensureTable(dynamo.client, tableName, notificationsTable);
  records = new DynamoDeliveryRecords(dynamo.doc, tableName);
}, 60_000);

// Now, not a fixed date: records expire through TTL DELIVERY_RECORD_TTL_DAYS after their time, and DynamoDB
// Local deletes expired items in the background, as DynamoDB does.
const T0 = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (ms: number) => new Date(T0.getTime() + ms);
const key = (): DeliveryKey => ({ eventId: randomUUID(), recipient: 'customer' });
const claimOf = (k: DeliveryKey, token: string, now = T0, leaseMs = 60_000, orderId = 'order-1'): DeliveryClaim => ({
  key: k,
  kind: 'order-confirmed',
  orderId,
  address: 'ada@example.com',
  messageId: `<notification.${k.eventId}.customer@shop.test>`,
  token,
  now,
  leaseUntil: new Date(now.getTime() + leaseMs),
});

describe('DynamoDeliveryRecords', () => {
  it('lets exactly one of many concurrent claims through', async () => {
    const k = key();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => records.claim(claimOf(k, `token-${i}`))));
    expect(results.filter((result) => result.outcome === 'claimed')).toEqual([{ outcome: 'claimed', attempt: 1 }]);
    expect(results.filter((result) => result.outcome === 'in-progress')).toHaveLength(7);
    expect(results.find((result) => result.outcome === 'in-progress')).toEqual({ outcome: 'in-progress', leaseUntil: at(60_000) });
  });

  it('is done for good once sent, and only the claim holder may complete it', async () => {
    const k = key();
    await records.claim(claimOf(k, 'mine'));
    expect(await records.markSent(k, 'someone-else', { at: at(1000), providerMessageId: 'x' })).toBe(false);
    expect(await records.markSent(k, 'mine', { at: at(1000), providerMessageId: '250 Message queued as abc' })).toBe(true);
    expect(await records.claim(claimOf(k, 'later', at(120_000)))).toEqual({ outcome: 'done', status: 'SENT' });
    expect(await records.find(k)).toMatchObject({ status: 'SENT', attempts: 1, sentAt: at(1000), providerMessageId: '250 Message queued as abc', leaseUntil: undefined });
  });

  it("recognises its own write when a retried request finds it already applied", async () => {
    const k = key();
    expect(await records.claim(claimOf(k, 'mine'))).toEqual({ outcome: 'claimed', attempt: 1 });
    // The same claim again (the SDK resending a request whose answer timed out) is still ours.
    expect(await records.claim(claimOf(k, 'mine'))).toEqual({ outcome: 'claimed', attempt: 1 });
    expect(await records.markSent(k, 'mine', { at: at(1000), providerMessageId: undefined })).toBe(true);
    expect(await records.markSent(k, 'mine', { at: at(1000), providerMessageId: undefined })).toBe(true);
    expect(await records.markSent(k, 'another', { at: at(1000), providerMessageId: undefined })).toBe(false);
  });

  it('can be claimed again after a failure, counting the attempts and keeping the last error', async () => {
    const k = key();
    await records.claim(claimOf(k, 'first'));
    await records.markFailed(k, 'first', { at: at(1000), error: 'connect ECONNREFUSED 127.0.0.1:1025' });
    expect(await records.claim(claimOf(k, 'second', at(2000)))).toEqual({ outcome: 'claimed', attempt: 2 });
    await records.markRejected(k, 'second', { at: at(3000), reason: '550 5.1.1 no such user' });
    expect(await records.find(k)).toMatchObject({ status: 'REJECTED', attempts: 2, lastError: '550 5.1.1 no such user' });
    expect(await records.claim(claimOf(k, 'third', at(4000)))).toEqual({ outcome: 'done', status: 'REJECTED' });
  });

  it('takes over a claim whose lease ran out (its worker died), and not before', async () => {
    const k = key();
    await records.claim(claimOf(k, 'crashed', T0, 10_000));
    expect(await records.claim(claimOf(k, 'early', at(9_999)))).toEqual({ outcome: 'in-progress', leaseUntil: at(10_000) });
    expect(await records.claim(claimOf(k, 'takeover', at(10_000)))).toEqual({ outcome: 'claimed', attempt: 2 });
    // The crashed worker's late completion does not overwrite the new claim.
    expect(await records.markSent(k, 'crashed', { at: at(10_500), providerMessageId: undefined })).toBe(false);
    expect(await records.find(k)).toMatchObject({ status: 'CLAIMED', attempts: 2 });
  });

  it('records a skip once, over a failed attempt but never over a sent one', async () => {
    const skipped = key();
    const skip = { kind: 'order-confirmed' as const, orderId: 'order-skip', reason: 'no-email-address' as const, detail: 'the order has no email address', at: T0 };
    expect(await records.recordSkipped(skipped, skip)).toBe('recorded');
    expect(await records.recordSkipped(skipped, skip)).toBe('duplicate');
    expect(await records.claim(claimOf(skipped, 'x'))).toEqual({ outcome: 'done', status: 'SKIPPED' });

    const failed = key();
    await records.claim(claimOf(failed, 'a'));
    await records.markFailed(failed, 'a', { at: at(1), error: 'boom' });
    expect(await records.recordSkipped(failed, { ...skip, reason: 'no-longer-awaiting-payment', detail: 'the order is CONFIRMED' })).toBe('recorded');

    const sent = key();
    await records.claim(claimOf(sent, 'b'));
    await records.markSent(sent, 'b', { at: at(1), providerMessageId: undefined });
    expect(await records.recordSkipped(sent, skip)).toBe('duplicate');
    expect((await records.find(sent))!.status).toBe('SENT');
  });

  it("lists an order's records oldest first", async () => {
    const orderId = `order-${randomUUID().slice(0, 8)}`;
    const [first, second] = [key(), key()];
    await records.claim(claimOf(second, 't', at(5000), 60_000, orderId));
    await records.claim(claimOf(first, 't', at(1000), 60_000, orderId));
    expect((await records.findByOrder(orderId)).map((record) => record.key.eventId)).toEqual([first.eventId, second.eventId]);
  });
});
