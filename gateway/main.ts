import type { Registry } from 'prom-client';
import type { AppConfig } from '../lib/config';
import type { EventBus } from '../lib/events';
import { disableImplicitContext, type Logger } from '../lib/logging';
import { stopOnSignal } from '../lib/process';
import { createServiceRuntime } from '../lib/runtime';
import { isClusterWorker, runGatewayCluster } from './cluster';
import { startGateway, type RunningGateway } from './service';
import { createOrderStatusFeed } from './subscriptions/create-feed';
import { orderStatusFanout } from './subscriptions/order-status-fanout';

export type GatewayNode = RunningGateway & { stopAll(): Promise<void> };

/**
 * A gateway instance: the supergraph, the subscription feed (Redis pub/sub when configured) and, unless the bus is
 * EventBridge (where a Lambda does it), the fan-out of order status events from the bus into the feed, and the
 * response cache's invalidation by Catalog's events. `npm start` and the tests run it beside the subgraphs
 * (scripts/system.ts); a gateway process runs it alone (runGatewayProcess).
 */
export async function startGatewayNode(
  config: AppConfig,
  bus: EventBus | undefined,
  options: {
    readonly supergraphSdl?: string | undefined;
    /** Reports the bus's event metrics of the gateway's consumer group on the gateway's registry. */
    readonly reportBusMetrics?: ((registry: Registry) => void) | undefined;
  } = {},
): Promise<GatewayNode> {
  const runtime = createServiceRuntime(config, 'gateway');
  const feed = createOrderStatusFeed(config, runtime.logger);
  const gateway = await startGateway(runtime, config.ports.gateway, { feed, ...(options.supergraphSdl ? { supergraphSdl: options.supergraphSdl } : {}) });
  options.reportBusMetrics?.(gateway.registry);
  const fanout = bus && config.eventBus.kind !== 'eventbridge' ? await bus.subscribe(orderStatusFanout(feed)) : undefined;
  const invalidation = bus && gateway.levers.cacheInvalidation ? await bus.subscribe(gateway.levers.cacheInvalidation) : undefined;
  return Object.assign(gateway, {
    async stopAll() {
      await invalidation?.close();
      await fanout?.close();
      await gateway.stop();
    },
  });
}

/**
 * How long a stopping gateway process may take before it exits anyway: orchestrators send SIGKILL a few seconds
 * after SIGTERM, and the next instance should not wait for a port or a Redis name held by this one.
 */
const EXIT_LIMIT_MS = 4_500;

/**
 * The gateway as a process (the container's entry point, through scripts/run-service.ts): one instance, or with
 * GATEWAY_WORKERS=N a primary that forks N of them on one port (gateway/cluster.ts). SIGTERM or SIGINT stops it
 * gracefully (RunningGateway.stop: sockets closed with 1012, streams ended, requests in flight answered) and it exits
 * with 0 within EXIT_LIMIT_MS; a second signal exits at once.
 */
export async function runGatewayProcess(
  config: AppConfig,
  logger: Logger,
  events: {
    readonly createBus: () => EventBus;
    /** How the bus's event metrics of the gateway's consumer group reach the gateway's registry. */
    readonly reportBusMetrics?: (bus: EventBus) => (registry: Registry) => void;
  },
): Promise<void> {
  // The gateway carries its request context explicitly (the GraphQL context), so AsyncLocalStorage, whose promise
  // hooks tax every promise once entered (Node 20), is never entered in a gateway process.
  disableImplicitContext();
  if (config.gatewayPerformance.workers > 1 && !isClusterWorker()) {
    const cluster = await runGatewayCluster({ workers: config.gatewayPerformance.workers, logger, stopGraceMs: EXIT_LIMIT_MS });
    logger.info({ workers: config.gatewayPerformance.workers, pid: process.pid }, 'gateway workers are listening');
    // Workers stop themselves within the limit; the primary kills any that did not, then exits.
    stopOnSignal(logger, () => cluster.stop(), { exitLimitMs: EXIT_LIMIT_MS + 400 });
    return;
  }
  const bus = events.createBus();
  const running = await startGatewayNode(config, bus, { reportBusMetrics: events.reportBusMetrics?.(bus) });
  logger.info({ url: running.http.url }, 'gateway is listening');
  stopOnSignal(
    logger,
    async () => {
      await running.stopAll();
      await bus.close();
    },
    { exitLimitMs: EXIT_LIMIT_MS },
  );
}
