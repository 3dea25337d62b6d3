import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailed } from '../../../lib/dynamodb';
import type { ClaimResult, DeliveryClaim, DeliveryKey, DeliveryRecord, DeliveryRecords, DeliveryStatus } from '../domain/delivery-record';
import type { NotificationKind, SkipReason } from '../domain/notification';
import { DELIVERY_RECORD_TTL_DAYS, NOTIFICATIONS_INDEXES } from './notifications-table';

interface DeliveryRow {
  pk: string;
  sk: string;
  orderKey: string;
  orderSortKey: string;
  eventId: string;
  recipient: DeliveryKey['recipient'];
  kind: NotificationKind;
  orderId: string;
  status: DeliveryStatus;
  address?: string;
  messageId?: string;
  claimToken?: string;
  /** The token of the claim that ended it (SENT, FAILED, REJECTED): lets a retried completion recognise its own write. */
  completedBy?: string;
  /** Epoch milliseconds, so the claim condition compares numbers. */
  leaseUntil?: number;
  attempts: number;
  sentAt?: string;
  providerMessageId?: string;
  lastError?: string;
  skipReason?: SkipReason;
  detail?: string;
  createdAt: string;
  updatedAt: string;
  /** Epoch seconds (DynamoDB TTL). */
  expiresAt: number;
}

const rowKey = (key: DeliveryKey) => ({ pk: `DELIVERY#${key.eventId}`, sk: `RECIPIENT#${key.recipient}` });
const expiry = (at: Date) => Math.floor(at.getTime() / 1000) + DELIVERY_RECORD_TTL_DAYS * 86_400;
/** Errors are kept for operators, bounded: a mail server's reply can be long. */
const bounded = (message: string) => (message.length > 1000 ? `${message.slice(0, 997)}...` : message);

/**
 * Delivery records in DynamoDB, one item per event and recipient, every state change a conditional write
 * (domain/delivery-record.ts): the claim is one UpdateItem whose condition admits it only when the item is
 * missing, FAILED, or CLAIMED with a lease in the past; completing or releasing a claim is conditional on its
 * token. ReturnValuesOnConditionCheckFailure tells a refused claim why without a second read.
 */
export class DynamoDeliveryRecords implements DeliveryRecords {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(claim: DeliveryClaim): Promise<ClaimResult> {
    const now = claim.now.toISOString();
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rowKey(claim.key),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR (#status = :claimed AND leaseUntil <= :nowMs)',
          UpdateExpression:
            'SET #status = :claimed, claimToken = :token, leaseUntil = :leaseUntil, attempts = if_not_exists(attempts, :zero) + :one, ' +
            'eventId = :eventId, recipient = :recipient, kind = :kind, orderId = :orderId, address = :address, messageId = :messageId, ' +
            'orderKey = :orderKey, orderSortKey = if_not_exists(orderSortKey, :orderSortKey), createdAt = if_not_exists(createdAt, :now), ' +
            'updatedAt = :now, expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'FAILED',
            ':claimed': 'CLAIMED',
            ':nowMs': claim.now.getTime(),
            ':token': claim.token,
            ':leaseUntil': claim.leaseUntil.getTime(),
            ':zero': 0,
            ':one': 1,
            ':eventId': claim.key.eventId,
            ':recipient': claim.key.recipient,
            ':kind': claim.kind,
            ':orderId': claim.orderId,
            ':address': claim.address,
            ':messageId': claim.messageId,
            ':orderKey': `ORDER#${claim.orderId}`,
            ':orderSortKey': `${now}#${claim.key.eventId}#${claim.key.recipient}`,
            ':now': now,
            ':expiresAt': expiry(claim.now),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'claimed', attempt: (result.Attributes as DeliveryRow).attempts };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // The item as the condition saw it comes back in DynamoDB's own attribute format (the document client does not
      // translate exceptions); without it (an older DynamoDB), one consistent read.
      const item = (error as { Item?: Record<string, AttributeValue> }).Item;
      const existing = item ? (unmarshall(item) as DeliveryRow) : await this.row(claim.key);
      if (!existing) throw error;
      // Our own claim, already written by an attempt whose answer was lost (the SDK retried it after a timeout).
      if (existing.status === 'CLAIMED' && existing.claimToken === claim.token) return { outcome: 'claimed', attempt: existing.attempts };
      if (existing.status === 'CLAIMED') return { outcome: 'in-progress', leaseUntil: new Date(existing.leaseUntil ?? 0) };
      // Released between our write and our read: claimable again, on the next delivery.
      if (existing.status === 'FAILED') return { outcome: 'in-progress', leaseUntil: claim.now };
      return { outcome: 'done', status: existing.status };
    }
  }

  async markSent(key: DeliveryKey, token: string, sent: { at: Date; providerMessageId: string | undefined }): Promise<boolean> {
    return this.complete(key, token, 'SENT', sent.at, {
      expression: 'sentAt = :sentAt' + (sent.providerMessageId ? ', providerMessageId = :providerMessageId' : ''),
      values: { ':sentAt': sent.at.toISOString(), ...(sent.providerMessageId ? { ':providerMessageId': sent.providerMessageId } : {}) },
    });
  }

  async markFailed(key: DeliveryKey, token: string, failure: { at: Date; error: string }): Promise<void> {
    await this.complete(key, token, 'FAILED', failure.at, { expression: 'lastError = :error', values: { ':error': bounded(failure.error) } });
  }

  async markRejected(key: DeliveryKey, token: string, rejection: { at: Date; reason: string }): Promise<void> {
    await this.complete(key, token, 'REJECTED', rejection.at, { expression: 'lastError = :error', values: { ':error': bounded(rejection.reason) } });
  }

  async recordSkipped(
    key: DeliveryKey,
    skip: { kind: NotificationKind; orderId: string; reason: SkipReason; detail: string; at: Date },
  ): Promise<'recorded' | 'duplicate'> {
    const at = skip.at.toISOString();
    const row: DeliveryRow = {
      ...rowKey(key),
      orderKey: `ORDER#${skip.orderId}`,
      orderSortKey: `${at}#${key.eventId}#${key.recipient}`,
      eventId: key.eventId,
      recipient: key.recipient,
      kind: skip.kind,
      orderId: skip.orderId,
      status: 'SKIPPED',
      attempts: 0,
      skipReason: skip.reason,
      detail: bounded(skip.detail),
      createdAt: at,
      updatedAt: at,
      expiresAt: expiry(skip.at),
    };
    try {
      // Over a FAILED attempt too: an earlier delivery meant to send, this one found nothing to send (the order
      // moved on meanwhile), and the record should say what finally happened.
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: row,
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'FAILED' },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'duplicate';
      throw error;
    }
  }

  async find(key: DeliveryKey): Promise<DeliveryRecord | undefined> {
    const row = await this.row(key);
    return row ? toRecord(row) : undefined;
  }

  async findByOrder(orderId: string): Promise<DeliveryRecord[]> {
    const rows: DeliveryRow[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: NOTIFICATIONS_INDEXES.byOrder.name,
          KeyConditionExpression: 'orderKey = :orderKey',
          ExpressionAttributeValues: { ':orderKey': `ORDER#${orderId}` },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      rows.push(...((page.Items ?? []) as DeliveryRow[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return rows.map(toRecord);
  }

  private async row(key: DeliveryKey): Promise<DeliveryRow | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: rowKey(key), ConsistentRead: true }));
    return result.Item as DeliveryRow | undefined;
  }

  /**
   * Ends a claim (SENT, FAILED or REJECTED) if it is still this token's; false when it was taken over meanwhile.
   * The SDK retries a write whose answer timed out, and the retry then fails its own condition: the token is kept
   * as `completedBy`, so that case is told apart from a takeover.
   */
  private async complete(
    key: DeliveryKey,
    token: string,
    status: DeliveryStatus,
    at: Date,
    extra: { expression: string; values: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rowKey(key),
          ConditionExpression: '#status = :claimed AND claimToken = :token',
          UpdateExpression: `SET #status = :status, completedBy = :token, updatedAt = :at, ${extra.expression} REMOVE claimToken, leaseUntil`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':token': token, ':status': status, ':at': at.toISOString(), ...extra.values },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const item = (error as { Item?: Record<string, AttributeValue> }).Item;
      const existing = item ? (unmarshall(item) as DeliveryRow) : await this.row(key);
      return existing?.status === status && existing.completedBy === token;
    }
  }
}

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    key: { eventId: row.eventId, recipient: row.recipient },
    kind: row.kind,
    orderId: row.orderId,
    status: row.status,
    address: row.address,
    messageId: row.messageId,
    attempts: row.attempts,
    leaseUntil: row.leaseUntil === undefined ? undefined : new Date(row.leaseUntil),
    sentAt: row.sentAt === undefined ? undefined : new Date(row.sentAt),
    providerMessageId: row.providerMessageId,
    lastError: row.lastError,
    skipReason: row.skipReason,
    detail: row.detail,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}
