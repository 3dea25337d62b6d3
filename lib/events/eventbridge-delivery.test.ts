import { describe, expect, it } from '@jest/globals';
import { InvalidEventError } from './envelope';
import { envelopeFromEventBridge, type EventBridgeDelivery } from './eventbridge-delivery';
import { signEnvelope } from './event-signature';
import { sampleEnvelope, TEST_EVENT_SIGNING_SECRET as SECRET } from './testing/fixtures';

const read = (value: EventBridgeDelivery) => envelopeFromEventBridge(value, SECRET);

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
    expect(read(delivery(envelope))).toEqual(envelope);
    expect(read(delivery(JSON.stringify(envelope)))).toEqual(envelope);
  });

  it('rejects a detail that does not match its schema', () => {
    const broken = { ...sampleEnvelope('order.completed'), data: { orderId: 'order-1' } };
    expect(() => read(delivery(broken))).toThrow(InvalidEventError);
    expect(() => read(delivery(broken))).toThrow(/data\.customerId/);
    expect(() => read(delivery('{not json'))).toThrow(/detail: not JSON/);
  });

  it('rejects a delivery whose source or detail-type disagrees with the envelope', () => {
    const envelope = sampleEnvelope('order.completed');
    expect(() => read(delivery(envelope, { 'detail-type': 'order.cancelled' }))).toThrow(
      /detail-type: "order.cancelled" does not match the envelope type order.completed/,
    );
    expect(() => read(delivery(envelope, { source: 'ecommerce.catalog' }))).toThrow(
      /source: "ecommerce.catalog" does not match ecommerce.orders of the envelope/,
    );
  });

  it('accepts an unsigned envelope (IAM and the bus policy decide who puts events) and a correctly signed one', () => {
    const envelope = sampleEnvelope('payment.completed');
    expect(read(delivery(envelope, { 'detail-type': 'payment.completed', source: 'ecommerce.payments' }))).toEqual(envelope);
    const signed = signEnvelope(sampleEnvelope('order.completed'), SECRET);
    const { signature: _signature, ...unsigned } = signed;
    expect(read(delivery(signed))).toEqual(unsigned);
  });

  it('refuses a signed envelope that was altered, or signed with another key', () => {
    const signed = signEnvelope(sampleEnvelope('order.completed'), SECRET);
    const altered = { ...signed, data: { ...(signed['data'] as object), total: { amount: 50_000_000, currency: 'USD' } } };
    expect(() => read(delivery(altered))).toThrow(/forged or altered event: the signature does not match the envelope/);
    const foreign = signEnvelope(sampleEnvelope('order.completed'), 'another-secret-0123456789abcdef0123456789');
    expect(() => read(delivery(foreign))).toThrow(InvalidEventError);
  });
});
