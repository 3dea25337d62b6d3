import { loadConfig } from '../../lib/config';
import { ensureTable } from '../../lib/dynamodb';
import { allPendingOutboxItems, type AnyEventEnvelope } from '../../lib/events';
import { createServiceRuntime, type ServiceRuntime } from '../../lib/runtime';
import { shippingTable } from '../../subgraphs/shipping/infrastructure/shipping-table';
import { startShipping, type RunningShipping, type ShippingOptions } from '../../subgraphs/shipping/service';
import { testEnv } from './system';

/** Shipping's outbox only ever holds its own events. */
export type ShipmentEnvelope = Extract<AnyEventEnvelope, { type: 'shipment.created' | 'shipment.shipped' | 'shipment.delivered' }>;

export interface TestShipping {
  readonly shipping: RunningShipping;
  readonly runtime: ServiceRuntime;
  /** Base URL, e.g. http://127.0.0.1:45123 */
  readonly url: string;
  /** Envelopes the outbox writer reported committed, in commit order (nothing relays them here). */
  readonly committed: ShipmentEnvelope[];
  /** Outbox rows still pending in the table. */
  pendingEvents(): Promise<ShipmentEnvelope[]>;
  stop(): Promise<void>;
}

/** The Shipping service alone on port 0 with its own table in the run's DynamoDB Local, no relay, no consumers. */
export async function startTestShipping(label: string, options: ShippingOptions = {}, env: Record<string, string> = {}): Promise<TestShipping> {
  const runtime = createServiceRuntime(loadConfig(testEnv(label, env)), 'shipping');
  const tableName = runtime.config.dynamodb.tables.shipping;
  await ensureTable(runtime.dynamo.client, tableName, shippingTable);
  const shipping = await startShipping(runtime, 0, options);
  const committed: ShipmentEnvelope[] = [];
  shipping.outbox.onCommitted((envelopes) => committed.push(...(envelopes as readonly ShipmentEnvelope[])));
  return {
    shipping,
    runtime,
    url: shipping.http.url,
    committed,
    async pendingEvents() {
      const items = await allPendingOutboxItems(runtime.dynamo.doc, tableName);
      return items.map((item) => JSON.parse(String(item['event'])) as ShipmentEnvelope);
    },
    async stop() {
      await shipping.stop();
      runtime.dynamo.client.destroy();
    },
  };
}
