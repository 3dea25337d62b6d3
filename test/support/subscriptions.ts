import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { RedisOrderStatusFeed } from '../../gateway/subscriptions/order-status-feed';
import type { RunningGateway } from '../../gateway/service';
import type { Subscription } from '../../lib/events';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor, waitForValue } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from './graphql';

/** The issue's example selection (docs/architecture.md §2): every subgraph contributes a field. */
export const WATCH_ORDER = `subscription Watch($id: ID!) {
  orderStatusChanged(orderId: $id) { status previousStatus at order { status total { amount } items { product { name } } rewardPoints } }
}`;

export interface WatchedUpdate {
  readonly status: string;
  readonly previousStatus: string | null;
  readonly at: string;
  readonly order: {
    readonly status: string;
    readonly total: { readonly amount: number };
    readonly items: readonly { readonly product: { readonly name: string } }[];
    readonly rewardPoints: number | null;
  };
}

export interface FormattedResult {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// ---------------------------------------------------------------------------------------------------------------
// Orders through the gateway

export async function createProduct(
  gatewayUrl: string,
  adminToken: string,
  product: { name: string; amount: number; stockQuantity?: number },
): Promise<string> {
  const response = await graphql<{ createProduct: { id: string } }>(
    gatewayUrl,
    'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
    {
      input: {
        sku: `SUB-${randomUUID().slice(0, 8).toUpperCase()}`,
        name: product.name,
        category: 'subscriptions',
        price: { amount: product.amount, currency: 'USD' },
        stockQuantity: product.stockQuantity ?? 1000,
      },
    },
    { token: adminToken },
  );
  if (response.errors || !response.data) throw new Error(`createProduct failed: ${JSON.stringify(response.errors)}`);
  return response.data.createProduct.id;
}

export async function placeOrder(gatewayUrl: string, customerToken: string, items: readonly { productId: string; quantity: number }[]): Promise<string> {
  const response = await graphql<{ placeOrder: { id: string; status: string } }>(
    gatewayUrl,
    'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }',
    { input: { items } },
    { token: customerToken },
  );
  if (response.errors || !response.data) throw new Error(`placeOrder failed: ${JSON.stringify(response.errors)}`);
  return response.data.placeOrder.id;
}

export type StatusMutation = 'confirmOrder' | 'completeOrder' | 'cancelOrder';

/** Runs a status-changing mutation and returns the status it reports. */
export async function changeStatus(gatewayUrl: string, adminToken: string, mutation: StatusMutation, orderId: string): Promise<string> {
  const response = await graphql<Record<string, { status: string }>>(gatewayUrl, `mutation ($id: ID!) { ${mutation}(id: $id) { status } }`, { id: orderId }, { token: adminToken });
  if (response.errors || !response.data) throw new Error(`${mutation} failed: ${JSON.stringify(response.errors)}`);
  return response.data[mutation]!.status;
}

/**
 * Orders placed through the gateway whose `order.created` event the gateway's fan-out has already handled, so a
 * subscription made afterwards starts with the next change. Without it a subscriber can beat the creation event
 * through the bus and get a PENDING update first (a real and allowed sequence, but not the one a test means).
 * The barrier is an event of the same type published after the order's own: the fan-out handles events one at a
 * time in bus order, so once the barrier reaches the gateway's feed the order's event is through. It assumes one
 * gateway instance consuming events.
 */
export class CreatedOrders {
  private constructor(
    private readonly system: RunningSystem,
    private readonly observer: Subscription,
    private readonly created: Set<string>,
  ) {}

  /** Call before placing orders: the observer must be on the bus when their events are published. */
  static async start(system: RunningSystem): Promise<CreatedOrders> {
    const created = new Set<string>();
    const observer = await system.bus.subscribe({
      group: `created-observer-${randomUUID().slice(0, 8)}`,
      types: ['order.created'],
      handle: async (envelope) => {
        if (envelope.type === 'order.created') created.add(envelope.data.orderId);
      },
    });
    return new CreatedOrders(system, observer, created);
  }

  async place(customerToken: string, items: readonly { productId: string; quantity: number }[]): Promise<string> {
    const orderId = await placeOrder(this.system.urls.gateway, customerToken, items);
    await this.settle([orderId]);
    return orderId;
  }

  /** Returns once the fan-out has handled the creation events of `orderIds`. */
  async settle(orderIds: readonly string[]): Promise<void> {
    await waitFor('the orders\' creation events on the bus', () => orderIds.every((id) => this.created.has(id)));
    const barrier = `barrier-${randomUUID()}`;
    let heard = false;
    const stop = await this.system.gateway.feed.watch(barrier, () => (heard = true));
    try {
      await this.system.bus.publish([sampleEnvelope('order.created', { orderId: barrier, customerId: 'barrier' })]);
      await waitFor('the fan-out to catch up', () => heard);
    } finally {
      await stop();
    }
  }

  close(): Promise<void> {
    return this.observer.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// graphql-ws, as Apollo Client's GraphQLWsLink uses it

export function wsUrlOf(gatewayUrl: string): string {
  return gatewayUrl.replace(/^http/, 'ws');
}

export function wsClient(gatewayUrl: string, token: string | undefined, options: { connectionParams?: Record<string, unknown> } = {}): Client {
  return createClient({
    url: wsUrlOf(gatewayUrl),
    webSocketImpl: WebSocket,
    connectionParams: options.connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    lazy: true,
  });
}

/** One subscription through a graphql-ws client, recording what it receives. */
export class Recorded {
  readonly results: FormattedResult[] = [];
  completed = false;
  error: unknown;
  private unsubscribe: () => void = () => undefined;

  constructor(client: Client, query: string, variables: Record<string, unknown>) {
    this.unsubscribe = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (result) => void this.results.push(result as FormattedResult),
        error: (error) => {
          this.error = error;
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  /** Waits until `count` results arrived and returns them. */
  async take(count: number, timeoutMs = 15_000): Promise<FormattedResult[]> {
    await waitFor(() => `${count} results (have ${this.results.length}${this.error ? `, error ${describe(this.error)}` : ''})`, () => this.results.length >= count || this.error !== undefined, timeoutMs);
    if (this.error !== undefined && this.results.length < count) throw new Error(`the subscription failed: ${describe(this.error)}`);
    return this.results.slice(0, count);
  }

  async ended(timeoutMs = 15_000): Promise<void> {
    await waitFor('the subscription to end', () => this.completed || this.error !== undefined, timeoutMs);
  }

  stop(): void {
    this.unsubscribe();
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return `close ${String((error as { code: unknown }).code)}`;
  return JSON.stringify(error);
}

export function updatesOf(results: readonly FormattedResult[]): WatchedUpdate[] {
  return results.map((result) => {
    if (result.errors) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
    return (result.data as { orderStatusChanged: WatchedUpdate }).orderStatusChanged;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Raw graphql-transport-ws, for exact protocol behaviour

export interface RawSocket {
  readonly socket: WebSocket;
  readonly messages: Record<string, unknown>[];
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Waits for a message matching `predicate`. */
  next(predicate: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A raw WebSocket to the gateway; `protocols` defaults to graphql-transport-ws (`[]` asks for none). */
export async function rawSocket(gatewayUrl: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<RawSocket> {
  const socket = new WebSocket(wsUrlOf(gatewayUrl), options.protocols ?? ['graphql-transport-ws'], { headers: options.headers ?? {} });
  const messages: Record<string, unknown>[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async next(predicate, timeoutMs = 15_000) {
      return waitForValue(() => `a matching message (have ${JSON.stringify(messages).slice(0, 2_000)})`, () => messages.find(predicate), { timeoutMs });
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close(1000);
      await closed;
    },
  };
}

/** A raw socket past `connection_init`/`connection_ack`. */
export async function initialisedSocket(gatewayUrl: string, token: string): Promise<RawSocket> {
  const raw = await rawSocket(gatewayUrl);
  raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  await raw.next((m) => m['type'] === 'connection_ack');
  return raw;
}

// ---------------------------------------------------------------------------------------------------------------
// Multipart HTTP subscriptions, as Apollo Client's HttpLink speaks them

/** The Accept header Apollo Client's HttpLink sends with a subscription. */
export const MULTIPART_ACCEPT = 'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json';

export interface MultipartStream {
  readonly status: number;
  readonly headers: Headers;
  /** The JSON body of every part received so far, heartbeats (`{}`) included. */
  readonly parts: Record<string, unknown>[];
  /** Resolves when the server ended the stream (the closing delimiter arrived) or the body ended. */
  readonly ended: Promise<void>;
  isEnded(): boolean;
  /** The payloads of the parts that carry one, in order (heartbeats left out). */
  payloads(): Record<string, unknown>[];
  take(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  abort(): void;
}

export async function multipartSubscribe(
  gatewayUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown>,
  accept = MULTIPART_ACCEPT,
): Promise<MultipartStream> {
  const controller = new AbortController();
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const parts: Record<string, unknown>[] = [];
  let ended = false;
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        // Parts sit between delimiters: "\r\n--graphql" ... "\r\n--graphql"; the last delimiter is "--graphql--".
        for (;;) {
          const start = buffer.indexOf('--graphql');
          if (start < 0) break;
          const afterDelimiter = start + '--graphql'.length;
          if (buffer.startsWith('--', afterDelimiter)) {
            ended = true;
            buffer = '';
            break;
          }
          const nextDelimiter = buffer.indexOf('\r\n--graphql', afterDelimiter);
          if (nextDelimiter < 0) break;
          const part = buffer.slice(afterDelimiter, nextDelimiter);
          const bodyStart = part.indexOf('\r\n\r\n');
          parts.push(JSON.parse(part.slice(bodyStart + 4)) as Record<string, unknown>);
          buffer = buffer.slice(nextDelimiter + 2);
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
    ended = true;
  })();
  const payloads = () => parts.filter((part) => 'payload' in part).map((part) => part['payload'] as Record<string, unknown>);
  return {
    status: response.status,
    headers: response.headers,
    parts,
    ended: reading,
    isEnded: () => ended,
    payloads,
    async take(count, timeoutMs = 15_000) {
      await waitFor(() => `${count} multipart payloads (have ${payloads().length})`, () => payloads().length >= count || ended, timeoutMs);
      if (payloads().length < count) throw new Error(`the stream ended after ${payloads().length} payloads: ${JSON.stringify(parts)}`);
      return payloads().slice(0, count);
    },
    abort: () => controller.abort(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What the gateway holds

export interface HeldResources {
  readonly orders: number;
  readonly listeners: number;
  /** Channel subscriptions of this instance's subscriber connection (Redis feed only; 0 in-process). */
  readonly redisSubscriptions: number;
  readonly sockets: number;
}

export async function heldBy(gateway: RunningGateway): Promise<HeldResources> {
  const { orders, listeners } = gateway.feed.stats();
  const redisSubscriptions = gateway.feed instanceof RedisOrderStatusFeed ? await gateway.feed.redisSubscriptionCount() : 0;
  return { orders, listeners, redisSubscriptions, sockets: gateway.websocket.connections() };
}
