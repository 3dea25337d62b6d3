import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Caller } from '../../../lib/auth';
import { NotFoundError, ProductUnavailableError, ValidationError, type Clock } from '../../../lib/ddd';
import { ensureTable, type DynamoClients } from '../../../lib/dynamodb';
import { OutboxWriter, allPendingOutboxItems } from '../../../lib/events';
import { testDynamoClients, uniquePrefix } from '../../../test/support/services';
import type { OrdersDependencies } from '../application/orders-dependencies';
import type { PaymentCapture } from '../application/payment-capture';
import type { ShipCommand, ShipmentCommands } from '../application/shipment-commands';
import type { ProductCatalog, ProductInfo } from '../application/product-catalog';
import type { HeldStock, StockHolds } from '../application/stock-holds';
import type { OrderRepository } from '../domain/order-repository';
import { DynamoOrderRepository } from '../infrastructure/dynamo-order-repository';
import { ordersTable } from '../infrastructure/orders-table';

/**
 * Orders' own tests run the real repository on the run's DynamoDB Local, each file in its own table. The
 * catalog is a port (a plain interface), so these tests give it an in-memory implementation; the HTTP ACL has
 * its own contract suite and the end-to-end tests use the real Catalog.
 */

export const ADMIN: Caller = { sub: 'admin-1', roles: ['admin'] };
export const customer = (sub: string): Caller => ({ sub, roles: [] });

/**
 * A clock that never stands still: every reading is one millisecond after the previous one, so list order is
 * placing order and each change's event sorts after the one before it. `advance` jumps further.
 */
export class SteppingClock implements Clock {
  constructor(private ms: number = Date.UTC(2026, 0, 1)) {}
  now(): Date {
    this.ms += 1;
    return new Date(this.ms);
  }
  advance(ms = 1000): Date {
    this.ms += ms;
    return this.now();
  }
}

/**
 * Products by id, and stock holds on them with Catalog's rules (all lines or none, one hold per order id, the
 * same refusals); counts lookups; `wait` makes each lookup or hold wait (to line up concurrent callers).
 */
export class InMemoryCatalog implements ProductCatalog, StockHolds {
  readonly products = new Map<string, ProductInfo>();
  readonly lookups: (readonly string[])[] = [];
  readonly holds = new Map<string, { readonly customerId: string; readonly stock: HeldStock; open: boolean }>();
  wait: (() => Promise<void>) | undefined;

  add(product: Omit<ProductInfo, 'id'> & { id?: string }): ProductInfo {
    const info: ProductInfo = { id: product.id ?? randomUUID(), name: product.name, unitPrice: product.unitPrice, availableQuantity: product.availableQuantity };
    this.products.set(info.id, info);
    return info;
  }

  async getProducts(ids: readonly string[]): Promise<(ProductInfo | null)[]> {
    this.lookups.push([...ids]);
    await this.wait?.();
    return ids.map((id) => this.products.get(id) ?? null);
  }

  async hold(request: Parameters<StockHolds['hold']>[0]): Promise<HeldStock> {
    this.lookups.push(request.lines.map((line) => line.productId));
    await this.wait?.();
    const existing = this.holds.get(request.orderId);
    if (existing) return existing.stock;
    const lines = request.lines.map((line) => {
      const product = this.products.get(line.productId);
      if (!product) throw new NotFoundError(`no product with id "${line.productId}"`, { productId: line.productId });
      if (product.availableQuantity < line.quantity) {
        throw new ProductUnavailableError(`only ${product.availableQuantity} of "${product.name}" (${product.id}) in stock, ${line.quantity} requested`, {
          productId: product.id,
          requested: line.quantity,
          available: product.availableQuantity,
        });
      }
      return { productId: product.id, quantity: line.quantity, productName: product.name, unitPrice: product.unitPrice };
    });
    const currencies = [...new Set(lines.map((line) => line.unitPrice.currency))].sort();
    if (currencies.length > 1) throw new ValidationError('items', `an order never mixes currencies; these products are priced in ${currencies.join(' and ')}`);
    for (const line of lines) this.adjust(line.productId, -line.quantity);
    const stock: HeldStock = { orderId: request.orderId, lines };
    this.holds.set(request.orderId, { customerId: request.customerId, stock, open: true });
    return stock;
  }

  async release(orderId: string): Promise<void> {
    const hold = this.holds.get(orderId);
    if (!hold?.open) return;
    hold.open = false;
    for (const line of hold.stock.lines) this.adjust(line.productId, line.quantity);
  }

  private adjust(productId: string, delta: number): void {
    const product = this.products.get(productId)!;
    this.products.set(productId, { ...product, availableQuantity: product.availableQuantity + delta });
  }
}

/**
 * Lets callers through only once `parties` of them have arrived, so they all act on the same state at once
 * (a real race rather than calls that happen to run one after another). Later arrivals pass straight through.
 * Rejects after `timeoutMs` so a broken race fails the test instead of hanging it.
 */
export function barrier(parties: number, timeoutMs = 15_000): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  let fail!: (error: Error) => void;
  const open = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  const timer = setTimeout(() => fail(new Error(`only ${arrived} of ${parties} parties reached the barrier within ${timeoutMs} ms`)), timeoutMs);
  return () => {
    arrived += 1;
    if (arrived === parties) {
      clearTimeout(timer);
      release();
    }
    return arrived > parties ? Promise.resolve() : open;
  };
}

/**
 * Payments' capture and Shipping's commands as ports, with their contracts' answers: `payments` says what capture
 * answers per order (default: captured), `fail` makes the next call of a command throw. Records every call.
 */
export class InMemoryFulfilment implements PaymentCapture, ShipmentCommands {
  readonly calls: string[] = [];
  readonly payments = new Map<string, 'captured' | 'nothing-to-capture' | Error>();
  fail: { readonly command: 'check' | 'capture' | 'ship' | 'deliver'; readonly error: Error } | undefined;

  async capture(orderId: string): Promise<'captured' | 'nothing-to-capture'> {
    this.#call('capture', orderId);
    const answer = this.payments.get(orderId) ?? 'captured';
    if (answer instanceof Error) throw answer;
    return answer;
  }

  async check(command: ShipCommand) {
    this.#call('check', command.orderId);
    return InMemoryFulfilment.#tracking(command);
  }

  async ship(command: ShipCommand) {
    this.#call('ship', command.orderId);
    return InMemoryFulfilment.#tracking(command);
  }

  static #tracking(command: ShipCommand) {
    return { carrier: command.carrier.toUpperCase(), trackingNumber: command.trackingNumber.replace(/\s+/g, ''), trackingUrl: `https://carrier.test/${command.trackingNumber}` };
  }

  async deliver(orderId: string): Promise<void> {
    this.#call('deliver', orderId);
  }

  #call(command: 'check' | 'capture' | 'ship' | 'deliver', orderId: string): void {
    this.calls.push(`${command} ${orderId}`);
    if (this.fail?.command === command) {
      const { error } = this.fail;
      this.fail = undefined;
      throw error;
    }
  }
}

/** The repository with each order read held by `hold` (e.g. a barrier), so concurrent use cases read the same state. */
export function holdingReads(repository: OrderRepository, hold: () => Promise<void>): OrderRepository {
  return {
    create: (order, claim) => repository.create(order, claim),
    save: (order, causedBy) => repository.save(order, causedBy),
    async findById(id) {
      const found = await repository.findById(id);
      await hold();
      return found;
    },
    findByIds: (ids) => repository.findByIds(ids),
    findIdempotencyKey: (customerId, key) => repository.findIdempotencyKey(customerId, key),
    listOverdue: (now, limit) => repository.listOverdue(now, limit),
    listByCustomer: (customerId, query) => repository.listByCustomer(customerId, query),
    list: (query) => repository.list(query),
  };
}

export interface OrdersTable {
  readonly dynamo: DynamoClients;
  readonly tableName: string;
  readonly repository: DynamoOrderRepository;
  readonly clock: SteppingClock;
  readonly catalog: InMemoryCatalog;
  readonly fulfilment: InMemoryFulfilment;
  readonly deps: OrdersDependencies;
  /** The pending outbox events (not yet relayed: no relay runs here) of one order, oldest first. */
  outboxEventsOf(orderId: string): Promise<{ type: string; data: Record<string, unknown> }[]>;
  drop(): Promise<void>;
}

/** A fresh Orders table with the real repository and outbox writer, and use-case dependencies around it. */
export async function openOrdersTable(label: string): Promise<OrdersTable> {
  const dynamo = testDynamoClients();
  const tableName = `${uniquePrefix(label)}orders`;
  await ensureTable(dynamo.client, tableName, ordersTable);
  const repository = new DynamoOrderRepository(dynamo.doc, tableName, new OutboxWriter(tableName));
  const clock = new SteppingClock();
  const catalog = new InMemoryCatalog();
  const fulfilment = new InMemoryFulfilment();
  return {
    dynamo,
    tableName,
    repository,
    clock,
    catalog,
    fulfilment,
    deps: { orders: repository, catalog, stock: catalog, clock, newId: randomUUID, payments: fulfilment, shipments: fulfilment },
    async outboxEventsOf(orderId) {
      const events = (await allPendingOutboxItems(dynamo.doc, tableName)).map(
        (item) => JSON.parse(item.event) as { type: string; occurredAt: string; data: Record<string, unknown> },
      );
      return events.filter((event) => event.data['orderId'] === orderId).map(({ type, data }) => ({ type, data }));
    },
    async drop() {
      await dynamo.client.send(new DeleteTableCommand({ TableName: tableName }));
      dynamo.client.destroy();
    },
  };
}

/** The error a rejected promise carries, for matching on its stable code. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Readonly<Record<string, unknown>> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject');
}
