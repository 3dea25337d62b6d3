import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Address, ConcurrentModificationError, type AddressProps } from '../../../lib/ddd';
import { batchGetAll, transactWrite, transactionCancellationCodes } from '../../../lib/dynamodb';
import { processedEventPut, wasAlreadyProcessed, type OutboxWriter } from '../../../lib/events';
import { Shipment, type ShipmentStatus } from '../domain/shipment';
import type { CausingEvent, ShipmentRepository } from '../domain/shipment-repository';

interface ShipmentRow {
  pk: string;
  sk: 'SHIPMENT';
  id: string;
  orderId: string;
  customerId: string;
  status: ShipmentStatus;
  carrier?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  address?: AddressProps;
  createdAt: string;
  shippedAt?: string;
  deliveredAt?: string;
  updatedAt: string;
  version: number;
}

const shipmentKey = (orderId: string) => ({ pk: `SHIPMENT#${orderId}`, sk: 'SHIPMENT' as const });

/**
 * DynamoDB refuses a partition key over 2048 bytes. Order ids reach Shipping from the graph (`_entities`); one that
 * long names no order, so it has no shipment rather than failing the request.
 */
const canNameOrder = (orderId: string) => Buffer.byteLength(shipmentKey(orderId).pk, 'utf8') <= 2048;

function toRow(shipment: Shipment): ShipmentRow {
  const state = shipment.snapshot();
  return {
    ...shipmentKey(state.orderId),
    id: state.id,
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    ...(state.tracking ? { carrier: state.tracking.carrier, trackingNumber: state.tracking.trackingNumber } : {}),
    ...(state.tracking?.trackingUrl ? { trackingUrl: state.tracking.trackingUrl } : {}),
    ...(state.address ? { address: state.address } : {}),
    createdAt: state.createdAt.toISOString(),
    ...(state.shippedAt ? { shippedAt: state.shippedAt.toISOString() } : {}),
    ...(state.deliveredAt ? { deliveredAt: state.deliveredAt.toISOString() } : {}),
    updatedAt: state.updatedAt.toISOString(),
    version: state.version + 1,
  };
}

function fromRow(row: ShipmentRow): Shipment {
  return Shipment.restore({
    id: row.id,
    orderId: row.orderId,
    customerId: row.customerId,
    status: row.status,
    tracking:
      row.carrier !== undefined && row.trackingNumber !== undefined
        ? { carrier: row.carrier, trackingNumber: row.trackingNumber, ...(row.trackingUrl !== undefined ? { trackingUrl: row.trackingUrl } : {}) }
        : undefined,
    address: row.address && Address.restore(row.address).toJSON(),
    createdAt: new Date(row.createdAt),
    shippedAt: row.shippedAt === undefined ? undefined : new Date(row.shippedAt),
    deliveredAt: row.deliveredAt === undefined ? undefined : new Date(row.deliveredAt),
    updatedAt: new Date(row.updatedAt),
    version: row.version,
  });
}

/** Shipments in DynamoDB: each save is one transaction with its outbox rows, conditional on the version read. */
export class DynamoShipmentRepository implements ShipmentRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: OutboxWriter,
  ) {}

  async findByOrderId(orderId: string): Promise<Shipment | null> {
    if (!canNameOrder(orderId)) return null;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: shipmentKey(orderId), ConsistentRead: true }));
    return result.Item ? fromRow(result.Item as ShipmentRow) : null;
  }

  async findByOrderIds(orderIds: readonly string[]): Promise<Shipment[]> {
    const unique = [...new Set(orderIds)].filter(canNameOrder);
    if (unique.length === 0) return [];
    // Strongly consistent: a client reading Order.shipment right after a shipment event must see the change.
    const rows = await batchGetAll<ShipmentRow>(this.doc, this.tableName, unique.map(shipmentKey), { consistentRead: true });
    return rows.map(fromRow);
  }

  async save(shipment: Shipment, causedBy?: CausingEvent): Promise<'saved' | 'duplicate'> {
    const outbox = this.outbox.prepare(shipment.peekEvents());
    const { version } = shipment;
    const items = [
      {
        Put: {
          TableName: this.tableName,
          Item: toRow(shipment),
          ...(version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': version } }),
        },
      },
      ...(causedBy ? [processedEventPut(this.tableName, causedBy.consumer, causedBy.eventId)] : []),
      ...outbox.writes,
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (causedBy && wasAlreadyProcessed(error, 1)) return 'duplicate';
      if (transactionCancellationCodes(error) !== undefined) {
        throw new ConcurrentModificationError(`the shipment of order ${shipment.orderId} changed meanwhile; retry with its current state`, {
          orderId: shipment.orderId,
        });
      }
      throw error;
    }
    shipment.pullEvents();
    shipment.markStored();
    outbox.committed();
    return 'saved';
  }
}
