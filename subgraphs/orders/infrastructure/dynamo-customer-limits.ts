import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../lib/ddd';
import { isTransactionConflict, transactWrite, transactionCancellationCodes } from '../../../lib/dynamodb';
import type { CustomerLimitsLedger, LimitReservation, ReserveResult } from '../application/customer-limits';
import type { CustomerLimitsPolicy, LimitUsage } from '../domain/customer-limits';
import { unitsOf } from '../domain/customer-limits';
import type { Order } from '../domain/order';
import { escapeKeyPart } from './orders-table';

/**
 * The per-customer caps ledger, in Orders' table (orders-table.ts):
 * - ledger row        pk LIMITS#<customerId>   sk LEDGER           pendingOrders, heldUnits
 * - reservation rows  pk LIMITS#<customerId>   sk ORDER#<orderId>  units, reservedAt, state RESERVED | CLAIMED
 * The ledger row's figures change only together with a reservation row, in one transaction, so they always equal
 * the sum of the customer's reservations; its conditions make the caps exact under any concurrency.
 */
const ledgerKey = (customerId: string) => ({ pk: `LIMITS#${escapeKeyPart(customerId)}`, sk: 'LEDGER' });
const reservationKey = (customerId: string, orderId: string) => ({ pk: `LIMITS#${escapeKeyPart(customerId)}`, sk: `ORDER#${orderId}` });
const RESERVATION_PREFIX = 'ORDER#';

type ReservationState = 'RESERVED' | 'CLAIMED';

interface ReservationRow {
  pk: string;
  sk: string;
  orderId: string;
  units: number;
  reservedAt: string;
  state: ReservationState;
}

/** The ledger's figures change by `sign` x (1 order, `units` units). */
function ledgerUpdate(tableName: string, customerId: string, units: number, sign: 1 | -1) {
  return {
    Update: {
      TableName: tableName,
      Key: ledgerKey(customerId),
      UpdateExpression: 'SET pendingOrders = pendingOrders + :orders, heldUnits = heldUnits + :units',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':orders': sign, ':units': sign * units },
    },
  };
}

/** The order's creation claims its reservation: from then on only the order's own status change releases it. */
export function claimReservationWrite(tableName: string, order: Order) {
  return {
    Update: {
      TableName: tableName,
      Key: reservationKey(order.customerId, order.id),
      UpdateExpression: 'SET #state = :claimed',
      ConditionExpression: '#state = :reserved',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':reserved': 'RESERVED' },
    },
  };
}

/** The order leaves PENDING: its reservation goes, and the ledger gives back its order and units. */
export function releaseLimitsWrites(tableName: string, order: Order) {
  return [
    {
      Delete: {
        TableName: tableName,
        Key: reservationKey(order.customerId, order.id),
        ConditionExpression: '#state = :claimed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':claimed': 'CLAIMED' },
      },
    },
    ledgerUpdate(tableName, order.customerId, unitsOf(order.items), -1),
  ];
}

export class DynamoCustomerLimitsLedger implements CustomerLimitsLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(reservation: LimitReservation, policy: CustomerLimitsPolicy): Promise<ReserveResult> {
    const { customerId, orderId, units } = reservation;
    try {
      await transactWrite(this.doc, [
        {
          Update: {
            TableName: this.tableName,
            Key: ledgerKey(customerId),
            UpdateExpression: 'SET pendingOrders = if_not_exists(pendingOrders, :zero) + :one, heldUnits = if_not_exists(heldUnits, :zero) + :units',
            // Room for one more order and these units; a first order only needs its units to fit (checked by the caller).
            ConditionExpression: 'attribute_not_exists(pk) OR (pendingOrders <= :ordersRoom AND heldUnits <= :unitsRoom)',
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':units': units, ':ordersRoom': policy.maxPendingOrders - 1, ':unitsRoom': policy.maxHeldUnits - units },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...reservationKey(customerId, orderId), orderId, units, reservedAt: reservation.at.toISOString(), state: 'RESERVED' satisfies ReservationState },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      return { reserved: true };
    } catch (error) {
      const codes = transactionCancellationCodes(error);
      // The order already has its reservation (a retry of the same placement): it is reserved once, not twice.
      if (codes?.[1] === 'ConditionalCheckFailed') return { reserved: true };
      if (codes?.[0] === 'ConditionalCheckFailed') return { reserved: false, usage: await this.usage(customerId) };
      // The customer's ledger row stayed contended through transactWrite's retries (a burst of placements by one
      // customer): nothing was written, and the caller may simply try again.
      if (isTransactionConflict(error)) throw new ConflictError('too many of your orders are being placed at once; try again', { limit: 'concurrent placements' });
      throw error;
    }
  }

  async cancel(customerId: string, orderId: string): Promise<void> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: reservationKey(customerId, orderId), ConsistentRead: true }));
    const row = result.Item as ReservationRow | undefined;
    if (row?.state === 'RESERVED') await this.giveBack(customerId, row);
  }

  async reclaimAbandoned(customerId: string, reservedBefore: Date): Promise<number> {
    let reclaimed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': ledgerKey(customerId).pk, ':prefix': RESERVATION_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const row of (page.Items ?? []) as ReservationRow[]) {
        if (row.state === 'RESERVED' && new Date(row.reservedAt).getTime() < reservedBefore.getTime() && (await this.giveBack(customerId, row))) reclaimed += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return reclaimed;
  }

  /** Deletes an unclaimed reservation and gives its share back, both or neither; false when it changed meanwhile. */
  private async giveBack(customerId: string, row: ReservationRow): Promise<boolean> {
    try {
      await transactWrite(this.doc, [
        {
          Delete: {
            TableName: this.tableName,
            Key: reservationKey(customerId, row.orderId),
            // Only the reservation as read: one its order claimed meanwhile stays.
            ConditionExpression: '#state = :reserved AND reservedAt = :at',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':reserved': 'RESERVED', ':at': row.reservedAt },
          },
        },
        ledgerUpdate(this.tableName, customerId, row.units, -1),
      ]);
      return true;
    } catch (error) {
      if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /** What the customer's unpaid orders take now. */
  async usage(customerId: string): Promise<LimitUsage> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: ledgerKey(customerId), ConsistentRead: true }));
    return { pendingOrders: Number(result.Item?.['pendingOrders'] ?? 0), heldUnits: Number(result.Item?.['heldUnits'] ?? 0) };
  }
}
