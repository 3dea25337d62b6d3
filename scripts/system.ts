/**
 * Starting the system, or one part of it, with the same wiring everywhere: `npm start` and the tests run every
 * context in one process (`startSystem`); docker-compose and the Fargate gateway run one per process
 * (`scripts/run-service.ts`). Each context node is its HTTP service, its outbox relay (after commit plus a
 * periodic sweep) and its event consumers.
 */
import type { Registry } from 'prom-client';
import type { AppConfig, ContextName } from '../lib/config';
import { ensureTable } from '../lib/dynamodb';
import {
  createEventBus,
  EventMetricsByService,
  OutboxRelay,
  type CreateEventBusOptions,
  type EventBus,
  type EventConsumer,
  type OutboxWriter,
  type Subscription,
} from '../lib/events';
import type { Logger } from '../lib/logging';
import { createServiceRuntime, type ServiceRuntime } from '../lib/runtime';
import { startGatewayNode, type GatewayNode } from '../gateway/main';
import type { RunningGateway } from '../gateway/service';
import { GATEWAY_CONSUMER_GROUP } from '../gateway/subscriptions/order-status-fanout';
import { catalogTable } from '../subgraphs/catalog/infrastructure/catalog-table';
import { catalogEventConsumers } from '../subgraphs/catalog/infrastructure/event-consumers';
import { HoldSweeper } from '../subgraphs/catalog/infrastructure/hold-sweeper';
import { startCatalog, type CatalogOptions, type RunningCatalog } from '../subgraphs/catalog/service';
import { ordersEventConsumers } from '../subgraphs/orders/infrastructure/event-consumers';
import { PaymentDeadlineSweeper } from '../subgraphs/orders/infrastructure/payment-deadline-sweeper';
import { ordersTable } from '../subgraphs/orders/infrastructure/orders-table';
import { startOrders, type OrdersOptions, type RunningOrders } from '../subgraphs/orders/service';
import { paymentsEventConsumers } from '../subgraphs/payments/infrastructure/event-consumers';
import { paymentsTable } from '../subgraphs/payments/infrastructure/payments-table';
import { startPayments, type PaymentsOptions, type RunningPayments } from '../subgraphs/payments/service';
import { rewardsEventConsumers } from '../subgraphs/rewards/infrastructure/event-consumers';
import { rewardsTable } from '../subgraphs/rewards/infrastructure/rewards-table';
import { startRewards, type RewardsOptions, type RunningRewards } from '../subgraphs/rewards/service';
import { shippingEventConsumers } from '../subgraphs/shipping/infrastructure/event-consumers';
import { shippingTable } from '../subgraphs/shipping/infrastructure/shipping-table';
import { startShipping, type RunningShipping, type ShippingOptions } from '../subgraphs/shipping/service';
import { notificationsTable } from '../subgraphs/notifications/infrastructure/notifications-table';
import { startNotificationsWorker, type NotificationsOptions, type RunningNotifications } from '../subgraphs/notifications/worker';

export interface RelayOptions {
  /** Publish right after commit (default true); off, only the sweep publishes (a "crashed" relay). */
  readonly publishAfterCommit?: boolean;
  readonly sweepIntervalMs?: number;
  readonly minAgeMs?: number;
}

export interface NodeOptions {
  readonly relay?: RelayOptions;
  /** Run the context's event consumers (default true). */
  readonly consumers?: boolean;
}

export interface SystemOptions extends NodeOptions {
  readonly catalog?: CatalogOptions;
  readonly orders?: OrdersOptions;
  readonly rewards?: RewardsOptions;
  readonly payments?: PaymentsOptions;
  readonly shipping?: ShippingOptions;
  /** Per context, over the options above (a context whose consumers or relay run in another process in a test). */
  readonly nodes?: Partial<Record<ContextName, NodeOptions>>;
  /**
   * The Notifications worker's options, or false to leave it out (a system whose tests send no mail needs no
   * SMTP server). On by default.
   */
  readonly notifications?: NotificationsOptions | false;
  /** Supergraph SDL for the gateway (defaults to schema/supergraph.graphql). */
  readonly supergraphSdl?: string;
  /** Transport timings (tests shorten reclaim and retry delays). */
  readonly eventBus?: Pick<CreateEventBusOptions, 'memory' | 'redis'>;
}

interface Stoppable {
  stop(): Promise<void>;
}

export type ContextNode<TService> = TService & { readonly relay: OutboxRelay; stopAll(): Promise<void> };

export const CONTEXT_TABLES = {
  catalog: catalogTable,
  orders: ordersTable,
  rewards: rewardsTable,
  payments: paymentsTable,
  shipping: shippingTable,
  notifications: notificationsTable,
} as const;

export async function ensureTables(
  runtime: ServiceRuntime,
  contexts: readonly (keyof typeof CONTEXT_TABLES)[] = Object.keys(CONTEXT_TABLES) as (keyof typeof CONTEXT_TABLES)[],
): Promise<void> {
  const { client } = runtime.dynamo;
  const { tables } = runtime.config.dynamodb;
  await Promise.all(contexts.map((context) => ensureTable(client, tables[context], CONTEXT_TABLES[context])));
}

/** The stream names of a deployment's events, under its namespace. */
export function eventStreamPrefix(config: Pick<AppConfig, 'namespace'>): string {
  return `${config.namespace}events`;
}

/** The events_* metrics of each system bus, reported to the registry of each service that uses it. */
const busMetrics = new WeakMap<EventBus, EventMetricsByService>();

export function createSystemEventBus(config: AppConfig, logger: Logger, options: SystemOptions['eventBus'] = {}): EventBus {
  const metrics = new EventMetricsByService();
  const bus = createEventBus({
    kind: config.eventBus.kind,
    redisUrl: config.redisUrl,
    eventBusName: config.eventBus.name,
    streamPrefix: eventStreamPrefix(config),
    logger,
    metrics,
    signingSecret: config.eventSigningSecret,
    ...options,
  });
  busMetrics.set(bus, metrics);
  return bus;
}

/** From now on, `service`'s events on `bus` (published as their source, delivered to it as a group) count on its /metrics. */
function reportBusMetrics(bus: EventBus, service: string, registry: Registry): void {
  busMetrics.get(bus)?.register(service, registry);
}

/** The relay of one context's outbox: attached after commit (unless told not to) and sweeping periodically. */
function startRelay(runtime: ServiceRuntime, bus: EventBus, tableName: string, writer: OutboxWriter, options: RelayOptions = {}): OutboxRelay {
  const relay = new OutboxRelay({
    bus,
    doc: runtime.dynamo.doc,
    tableName,
    logger: runtime.logger,
    ...(options.minAgeMs !== undefined ? { minAgeMs: options.minAgeMs } : {}),
  });
  if (options.publishAfterCommit !== false) relay.attach(writer);
  relay.start(options.sweepIntervalMs);
  return relay;
}

/** Starts a service, its relay and its consumers; stopping undoes it in reverse. */
async function startNode<TService extends { readonly tableName: string; readonly outbox: OutboxWriter; readonly registry: Registry } & Stoppable>(
  runtime: ServiceRuntime,
  bus: EventBus,
  service: TService,
  consumers: readonly EventConsumer[],
  options: NodeOptions,
): Promise<ContextNode<TService>> {
  reportBusMetrics(bus, runtime.service, service.registry);
  const relay = startRelay(runtime, bus, service.tableName, service.outbox, options.relay);
  const subscriptions: Subscription[] = [];
  try {
    for (const consumer of options.consumers === false ? [] : consumers) subscriptions.push(await bus.subscribe(consumer));
  } catch (error) {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await relay.stop();
    await service.stop();
    throw error;
  }
  return Object.assign(service, {
    relay,
    async stopAll() {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await relay.stop();
      await service.stop();
    },
  });
}

/** Catalog's node also sweeps expired stock holds (every STOCK_HOLD_SWEEP_INTERVAL_MS). */
export async function startCatalogNode(
  config: AppConfig,
  bus: EventBus,
  options: NodeOptions & { catalog?: CatalogOptions } = {},
): Promise<ContextNode<RunningCatalog> & { readonly holdSweeper: HoldSweeper }> {
  const runtime = createServiceRuntime(config, 'catalog');
  const catalog = await startCatalog(runtime, config.ports.catalog, options.catalog);
  const node = await startNode(runtime, bus, catalog, catalogEventConsumers(catalog.deps, runtime.logger), options);
  const holdSweeper = new HoldSweeper(catalog.deps, runtime.logger);
  holdSweeper.start(config.stockHolds.sweepIntervalMs);
  const stopNode = node.stopAll.bind(node);
  return Object.assign(node, {
    holdSweeper,
    async stopAll() {
      await holdSweeper.stop();
      await stopNode();
    },
  });
}

/** Orders' node also cancels unpaid orders past their payment deadline (every PAYMENT_DEADLINE_SWEEP_INTERVAL_MS). */
export async function startOrdersNode(
  config: AppConfig,
  bus: EventBus,
  options: NodeOptions & { orders?: OrdersOptions } = {},
): Promise<ContextNode<RunningOrders> & { readonly deadlineSweeper: PaymentDeadlineSweeper }> {
  const runtime = createServiceRuntime(config, 'orders');
  const orders = await startOrders(runtime, config.ports.orders, options.orders);
  const node = await startNode(runtime, bus, orders, ordersEventConsumers(orders.deps, orders.acl, runtime.logger), options);
  const deadlineSweeper = new PaymentDeadlineSweeper(orders.deps, runtime.logger);
  deadlineSweeper.start(config.payments.deadlineSweepIntervalMs);
  const stopNode = node.stopAll.bind(node);
  return Object.assign(node, {
    deadlineSweeper,
    async stopAll() {
      await deadlineSweeper.stop();
      await stopNode();
    },
  });
}

/** Payments' node: its service (GraphQL, the Stripe webhook, the internal API), relay and order.cancelled consumer. */
export async function startPaymentsNode(config: AppConfig, bus: EventBus, options: NodeOptions & { payments?: PaymentsOptions } = {}): Promise<ContextNode<RunningPayments>> {
  const runtime = createServiceRuntime(config, 'payments');
  const payments = await startPayments(runtime, config.ports.payments, options.payments);
  return startNode(runtime, bus, payments, paymentsEventConsumers(payments.deps, runtime.logger), options);
}

export async function startRewardsNode(config: AppConfig, bus: EventBus, options: NodeOptions & { rewards?: RewardsOptions } = {}): Promise<ContextNode<RunningRewards>> {
  const runtime = createServiceRuntime(config, 'rewards');
  const rewards = await startRewards(runtime, config.ports.rewards, options.rewards);
  return startNode(runtime, bus, rewards, rewardsEventConsumers(rewards.deps, runtime.logger), options);
}

export async function startShippingNode(config: AppConfig, bus: EventBus, options: NodeOptions & { shipping?: ShippingOptions } = {}): Promise<ContextNode<RunningShipping>> {
  const runtime = createServiceRuntime(config, 'shipping');
  const shipping = await startShipping(runtime, config.ports.shipping, options.shipping);
  return startNode(runtime, bus, shipping, shippingEventConsumers(shipping.deps, runtime.logger), options);
}

/**
 * The Notifications node: its worker (the consumer, /health and /metrics on NOTIFICATIONS_PORT). It has no
 * outbox (it publishes nothing), so no relay.
 */
export async function startNotificationsNode(
  config: AppConfig,
  bus: EventBus,
  options: Pick<NodeOptions, 'consumers'> & { notifications?: NotificationsOptions } = {},
): Promise<RunningNotifications> {
  const runtime = createServiceRuntime(config, 'notifications');
  const worker = await startNotificationsWorker(runtime, bus, config.ports.notifications, {
    ...options.notifications,
    ...(options.consumers === false ? { consumers: false } : {}),
  });
  reportBusMetrics(bus, runtime.service, worker.registry);
  return worker;
}

/** A gateway instance (gateway/main.ts) on this system's bus, its event metrics on the gateway's /metrics. */
export function startGatewayInstance(config: AppConfig, bus: EventBus | undefined, options: { supergraphSdl?: string | undefined } = {}): Promise<GatewayNode> {
  return startGatewayNode(config, bus, { ...options, reportBusMetrics: bus ? gatewayBusMetrics(bus) : undefined });
}

/** Reports `bus`'s events of the gateway's consumer group on a gateway's registry. */
export function gatewayBusMetrics(bus: EventBus): (registry: Registry) => void {
  return (registry) => reportBusMetrics(bus, GATEWAY_CONSUMER_GROUP, registry);
}

export interface RunningSystem {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly bus: EventBus;
  readonly relays: Readonly<Record<ContextName, OutboxRelay>>;
  readonly catalog: ContextNode<RunningCatalog> & { readonly holdSweeper: HoldSweeper };
  readonly orders: ContextNode<RunningOrders> & { readonly deadlineSweeper: PaymentDeadlineSweeper };
  readonly rewards: ContextNode<RunningRewards>;
  readonly payments: ContextNode<RunningPayments>;
  readonly shipping: ContextNode<RunningShipping>;
  readonly gateway: RunningGateway;
  /** Undefined when started with `notifications: false`. */
  readonly notifications: RunningNotifications | undefined;
  readonly urls: {
    readonly gateway: string;
    readonly catalog: string;
    readonly orders: string;
    readonly rewards: string;
    readonly payments: string;
    readonly shipping: string;
    /** The Notifications worker's /health and /metrics. */
    readonly notifications: string | undefined;
  };
  stop(): Promise<void>;
}

/** Every context and the gateway in this process, sharing one event bus. */
export async function startSystem(config: AppConfig, options: SystemOptions = {}): Promise<RunningSystem> {
  const events = createServiceRuntime(config, 'events');
  await ensureTables(events);
  const bus = createSystemEventBus(config, events.logger, options.eventBus);
  const started: Stoppable[] = [{ stop: () => bus.close() }];
  const node = <T extends { stopAll(): Promise<void> }>(value: T): T => {
    started.push({ stop: () => value.stopAll() });
    return value;
  };
  try {
    const nodeOptions = (context: ContextName): NodeOptions => ({ ...options, ...options.nodes?.[context] });
    const catalog = node(await startCatalogNode(config, bus, { ...nodeOptions('catalog'), ...(options.catalog ? { catalog: options.catalog } : {}) }));
    // Subgraphs may run on ephemeral ports: the others use their actual addresses.
    const wired: AppConfig = { ...config, urls: { ...config.urls, catalogGraphql: `${catalog.http.url}/graphql`, catalogRest: catalog.http.url } };
    const shipping = node(await startShippingNode(wired, bus, { ...nodeOptions('shipping'), ...(options.shipping ? { shipping: options.shipping } : {}) }));
    const withShipping: AppConfig = { ...wired, urls: { ...wired.urls, shippingGraphql: `${shipping.http.url}/graphql`, shipping: shipping.http.url } };
    // Orders commands Payments (capture at shipping) and Payments reads orders: Payments starts with Orders' address,
    // and Orders learns Payments' once it listens.
    const listening: { payments?: string } = {};
    const lazyPaymentsUrl = () => {
      if (listening.payments === undefined) throw new Error('Payments is not listening yet');
      return listening.payments;
    };
    const orders = node(await startOrdersNode(withShipping, bus, { ...nodeOptions('orders'), orders: { paymentsUrl: lazyPaymentsUrl, ...options.orders } }));
    const withOrders: AppConfig = { ...withShipping, urls: { ...withShipping.urls, ordersGraphql: `${orders.http.url}/graphql`, orders: orders.http.url } };
    const rewards = node(await startRewardsNode(withOrders, bus, { ...nodeOptions('rewards'), ...(options.rewards ? { rewards: options.rewards } : {}) }));
    const payments = node(await startPaymentsNode(withOrders, bus, { ...nodeOptions('payments'), ...(options.payments ? { payments: options.payments } : {}) }));
    listening.payments = payments.http.url;
    const gatewayConfig: AppConfig = {
      ...withOrders,
      urls: {
        ...withOrders.urls,
        rewardsGraphql: `${rewards.http.url}/graphql`,
        paymentsGraphql: `${payments.http.url}/graphql`,
        payments: payments.http.url,
      },
    };
    const gateway = node(await startGatewayInstance(gatewayConfig, bus, { supergraphSdl: options.supergraphSdl }));
    // After the gateway: its emails link to the storefront the gateway serves, at its actual address.
    const notifications =
      options.notifications === false
        ? undefined
        : node(
            await startNotificationsNode(gatewayConfig, bus, {
              ...(options.consumers === false ? { consumers: false } : {}),
              notifications: { ...(gatewayConfig.mail.shopUrl ? {} : { shopUrl: `http://localhost:${gateway.http.port}` }), ...options.notifications },
            }),
          );
    return {
      config: gatewayConfig,
      logger: events.logger,
      bus,
      relays: { catalog: catalog.relay, orders: orders.relay, rewards: rewards.relay, payments: payments.relay, shipping: shipping.relay },
      catalog,
      orders,
      rewards,
      payments,
      shipping,
      gateway,
      notifications,
      urls: {
        gateway: `${gateway.http.url}/graphql`,
        catalog: catalog.http.url,
        orders: orders.http.url,
        rewards: rewards.http.url,
        payments: payments.http.url,
        shipping: shipping.http.url,
        notifications: notifications?.http.url,
      },
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** Stops in reverse start order: the gateway first, then each context (consumers, relay, service), the bus last. */
async function stopAll(started: readonly Stoppable[]): Promise<void> {
  for (const service of [...started].reverse()) {
    await service.stop();
  }
}
