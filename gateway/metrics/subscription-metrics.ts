import { Gauge, type Registry } from 'prom-client';

/**
 * Gauges read when Prometheus scrapes, from the objects that hold the state (no increments to keep in step):
 * - `gateway_subscriptions_active`: subscriptions being served now, over WebSocket and multipart HTTP;
 * - `gateway_websocket_connections`: open graphql-ws connections.
 */
export function registerSubscriptionGauges(
  registry: Registry,
  sources: { readonly subscriptions: () => number; readonly websocketConnections: () => number },
): void {
  new Gauge({
    name: 'gateway_subscriptions_active',
    help: 'Subscriptions being served now (WebSocket and multipart HTTP)',
    registers: [registry],
    collect() {
      this.set(sources.subscriptions());
    },
  });
  new Gauge({
    name: 'gateway_websocket_connections',
    help: 'Open graphql-ws WebSocket connections',
    registers: [registry],
    collect() {
      this.set(sources.websocketConnections());
    },
  });
}
