/**
 * The whole system in one process: tables, the event bus with each context's outbox relay and consumers, the
 * three subgraphs and the gateway, each on its own port. `npm start`, the end-to-end tests and the benchmarks
 * all start the system through here, so they run the same wiring.
 */
import type { AppConfig } from '../lib/config';
import { ensureTable } from '../lib/dynamodb';
import { createEventBus, OutboxRelay, type CreateEventBusOptions, type EventBus, type OutboxWriter, type Subscription } from '../lib/events';
import type { Logger } from '../lib/logging';
import { createServiceRuntime, type ServiceRuntime } from '../lib/runtime';
import { startGateway, type RunningGateway } from '../gateway/service';
import { createOrderStatusFeed } from '../gateway/subscriptions/create-feed';
import { orderStatusFanout } from '../gateway/subscriptions/order-status-fanout';
import { catalogTable } from '../subgraphs/catalog/infrastructure/catalog-table';
import { startCatalog, type CatalogOptions, type RunningCatalog } from '../subgraphs/catalog/service';
import { ordersEventConsumers } from '../subgraphs/orders/infrastructure/event-consumers';
import { ordersTable } from '../subgraphs/orders/infrastructure/orders-table';
import { startOrders, type OrdersOptions, type RunningOrders } from '../subgraphs/orders/service';
import { rewardsEventConsumers } from '../subgraphs/rewards/infrastructure/event-consumers';
import { rewardsTable } from '../subgraphs/rewards/infrastructure/rewards-table';
import { startRewards, type RewardsOptions, type RunningRewards } from '../subgraphs/rewards/service';

export interface SystemOptions {
  readonly catalog?: CatalogOptions;
  readonly orders?: OrdersOptions;
  readonly rewards?: RewardsOptions;
  /** Supergraph SDL for the gateway (defaults to schema/supergraph.graphql). */
  readonly supergraphSdl?: string;
  /** Transport timings (tests shorten reclaim and retry delays). */
  readonly eventBus?: Pick<CreateEventBusOptions, 'memory' | 'redis'>;
  readonly relay?: {
    /** Publish right after commit (default true); off, only the sweep publishes (a "crashed" relay). */
    readonly publishAfterCommit?: boolean;
    readonly sweepIntervalMs?: number;
    readonly minAgeMs?: number;
  };
  /** Run the event consumers in this process (default true). */
  readonly consumers?: boolean;
}

export interface RunningSystem {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly bus: EventBus;
  readonly relays: Readonly<Record<'catalog' | 'orders' | 'rewards', OutboxRelay>>;
  readonly catalog: RunningCatalog;
  readonly orders: RunningOrders;
  readonly rewards: RunningRewards;
  readonly gateway: RunningGateway;
  readonly urls: { readonly gateway: string; readonly catalog: string; readonly orders: string; readonly rewards: string };
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void>;
}

export async function ensureSystemTables(runtime: ServiceRuntime): Promise<void> {
  const { client } = runtime.dynamo;
  const { tables } = runtime.config.dynamodb;
  await Promise.all([
    ensureTable(client, tables.catalog, catalogTable),
    ensureTable(client, tables.orders, ordersTable),
    ensureTable(client, tables.rewards, rewardsTable),
  ]);
}

/** The stream names of a deployment's events, under its namespace. */
export function eventStreamPrefix(config: Pick<AppConfig, 'namespace'>): string {
  return `${config.namespace}events`;
}

export function createSystemEventBus(config: AppConfig, logger: Logger, options: SystemOptions['eventBus'] = {}): EventBus {
  return createEventBus({
    kind: config.eventBus.kind,
    redisUrl: config.redisUrl,
    eventBusName: config.eventBus.name,
    streamPrefix: eventStreamPrefix(config),
    logger,
    ...options,
  });
}

/**
 * A gateway instance: the supergraph, the subscription feed (Redis pub/sub when configured) and the fan-out of
 * order status events from the bus into that feed. Tests start a second one to prove instances share updates.
 */
export async function startGatewayInstance(
  config: AppConfig,
  bus: EventBus,
  options: { supergraphSdl?: string | undefined } = {},
): Promise<RunningGateway & { stopAll(): Promise<void> }> {
  const runtime = createServiceRuntime(config, 'gateway');
  const feed = createOrderStatusFeed(config, runtime.logger);
  const gateway = await startGateway(runtime, config.ports.gateway, { feed, ...(options.supergraphSdl ? { supergraphSdl: options.supergraphSdl } : {}) });
  const fanout = await bus.subscribe(orderStatusFanout(feed));
  return {
    ...gateway,
    async stopAll() {
      await fanout.close();
      await gateway.stop();
    },
  };
}

export async function startSystem(config: AppConfig, options: SystemOptions = {}): Promise<RunningSystem> {
  const runtimes = {
    catalog: createServiceRuntime(config, 'catalog'),
    rewards: createServiceRuntime(config, 'rewards'),
  };
  const logger = runtimes.catalog.logger;
  await ensureSystemTables(runtimes.catalog);
  const bus = createSystemEventBus(config, createServiceRuntime(config, 'events').logger, options.eventBus);

  const started: Stoppable[] = [{ stop: () => bus.close() }];
  const relayOf = (runtime: ServiceRuntime, tableName: string, writer: OutboxWriter): OutboxRelay => {
    const relay = new OutboxRelay({
      bus,
      doc: runtime.dynamo.doc,
      tableName,
      logger: runtime.logger,
      ...(options.relay?.minAgeMs !== undefined ? { minAgeMs: options.relay.minAgeMs } : {}),
    });
    if (options.relay?.publishAfterCommit !== false) relay.attach(writer);
    relay.start(options.relay?.sweepIntervalMs);
    started.push(relay);
    return relay;
  };
  const subscriptions: Subscription[] = [];
  started.push({ stop: async () => void (await Promise.all(subscriptions.map((s) => s.close()))) });

  try {
    const catalog = await startCatalog(runtimes.catalog, config.ports.catalog, options.catalog);
    started.push(catalog);
    // Subgraphs may run on ephemeral ports: the others use their actual addresses.
    const wired: AppConfig = { ...config, urls: { ...config.urls, catalogGraphql: `${catalog.http.url}/graphql`, catalogRest: catalog.http.url } };
    const ordersRuntime = createServiceRuntime(wired, 'orders');
    const orders = await startOrders(ordersRuntime, config.ports.orders, options.orders);
    started.push(orders);
    const rewards = await startRewards(runtimes.rewards, config.ports.rewards, options.rewards);
    started.push(rewards);

    const relays = {
      catalog: relayOf(runtimes.catalog, catalog.tableName, catalog.outbox),
      orders: relayOf(ordersRuntime, orders.tableName, orders.outbox),
      rewards: relayOf(runtimes.rewards, rewards.tableName, rewards.outbox),
    };
    if (options.consumers !== false) {
      for (const consumer of [
        ...ordersEventConsumers(orders.deps, orders.acl, ordersRuntime.logger),
        ...rewardsEventConsumers(rewards.deps, runtimes.rewards.logger),
      ]) {
        subscriptions.push(await bus.subscribe(consumer));
      }
    }

    const gatewayConfig: AppConfig = {
      ...wired,
      urls: { ...wired.urls, ordersGraphql: `${orders.http.url}/graphql`, rewardsGraphql: `${rewards.http.url}/graphql` },
    };
    const gateway = await startGatewayInstance(gatewayConfig, bus, { supergraphSdl: options.supergraphSdl });
    started.push({ stop: () => gateway.stopAll() });

    return {
      config: gatewayConfig,
      logger,
      bus,
      relays,
      catalog,
      orders,
      rewards,
      gateway,
      urls: {
        gateway: `${gateway.http.url}/graphql`,
        catalog: catalog.http.url,
        orders: orders.http.url,
        rewards: rewards.http.url,
      },
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** Stops in reverse start order: the gateway first, then consumers and relays, the subgraphs, the bus last. */
async function stopAll(started: readonly Stoppable[]): Promise<void> {
  for (const service of [...started].reverse()) {
    await service.stop();
  }
}
