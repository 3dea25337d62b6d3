import { describe, expect, it } from '@jest/globals';
import { InvalidEventError } from './envelope';
import { envelopeFromEventBridge, type EventBridgeDelivery } from './eventbridge-delivery';
import { sampleEnvelope } from './testing/fixtures';

function delivery(detail: unknown, overrides: Partial<EventBridgeDelivery> = {}): EventBridgeDelivery {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'order.completed',
    source: 'ecommerce.orders',
    account: '111122223333',
    time: '2025-03-01T12:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
    ...overrides,
  };
}

describe('envelopeFromEventBridge', () => {
  it('returns the validated envelope carried as detail', () => {
    const envelope = sampleEnvelope('order.completed');
    expect(envelopeFromEventBridge(delivery(envelope))).toEqual(envelope);
    expect(envelopeFromEventBridge(delivery(JSON.stringify(envelope)))).toEqual(envelope);
  });

  it('rejects a detail that does not match its schema', () => {
    const broken = { ...sampleEnvelope('order.completed'), data: { orderId: 'order-1' } };
    expect(() => envelopeFromEventBridge(delivery(broken))).toThrow(InvalidEventError);
    expect(() => envelopeFromEventBridge(delivery(broken))).toThrow(/data\.customerId/);
    expect(() => envelopeFromEventBridge(delivery('{not json'))).toThrow(/detail: not JSON/);
  });

  it('rejects a delivery whose source or detail-type disagrees with the envelope', () => {
    const envelope = sampleEnvelope('order.completed');
    expect(() => envelopeFromEventBridge(delivery(envelope, { 'detail-type': 'order.cancelled' }))).toThrow(
      /detail-type: "order.cancelled" does not match the envelope type order.completed/,
    );
    expect(() => envelopeFromEventBridge(delivery(envelope, { source: 'ecommerce.catalog' }))).toThrow(
      /source: "ecommerce.catalog" does not match ecommerce.orders of the envelope/,
    );
  });
});
