/**
 * The customers of `npm run bench -- checkout`, in a process of their own (bench/checkout.ts forks it), so their
 * sending, sockets and timing share no event loop with the services they measure. Each customer keeps one
 * graphql-ws socket open and checks out again and again, as a storefront with Stripe.js would:
 *   placeOrder -> subscribe to orderStatusChanged(order) -> startPayment -> confirm the PaymentIntent at Stripe with
 *   pm_card_visa (the client secret's confirm, sent with the secret key to the emulator) -> CONFIRMED on the socket.
 * The latency is startPayment sent to CONFIRMED received, on this process's clock. Driven over IPC.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface Customer {
  readonly sub: string;
  readonly token: string;
}

export type Pace = { readonly kind: 'paced'; readonly perSecond: number } | { readonly kind: 'flat-out' };

export type CustomersCommand =
  | {
      readonly type: 'run';
      readonly gatewayUrl: string;
      readonly stripeUrl: string;
      readonly stripeKey: string;
      readonly customers: readonly Customer[];
      readonly productIds: readonly string[];
      readonly pace: Pace;
      readonly seconds: number;
    }
  | { readonly type: 'exit' };

export type CustomersReply =
  | {
      readonly type: 'ran';
      /** startPayment sent to CONFIRMED received, per completed checkout. */
      readonly latenciesMs: number[];
      readonly seconds: number;
      /** Failed steps by kind (an error code, a timeout). */
      readonly failures: Record<string, number>;
      /** Every order placed, completed or not. */
      readonly orderIds: string[];
      /** Checkouts that had to wait for a free customer (paced runs: the pace was more than the customers could do). */
      readonly late: number;
      /** Set when the run itself could not go on (a socket refused): the figures are then not worth reading. */
      readonly error?: string;
    };

const PROTOCOL = 'graphql-transport-ws';
/** A checkout still unconfirmed after this long counts as failed (and is reported), never as a latency. */
const CONFIRM_TIMEOUT_MS = 15_000;
const WATCH = 'subscription Watch($id: ID!) { orderStatusChanged(orderId: $id) { status } }';

class Failure extends Error {
  constructor(readonly kind: string) {
    super(kind);
  }
}

async function graphql<T>(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { extensions?: { code?: string } }[] };
  if (body.errors?.length || !body.data) throw new Failure(body.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`);
  return body.data;
}

/** One customer's socket: subscriptions by id, each resolving when its order is CONFIRMED. */
class CustomerSocket {
  private readonly waiting = new Map<string, { resolve: (at: number) => void; reject: (error: Error) => void }>();
  private next = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: { data?: { orderStatusChanged?: { status?: string } } } };
      const waiter = message.id ? this.waiting.get(message.id) : undefined;
      if (!waiter) return;
      if (message.type === 'next' && message.payload?.data?.orderStatusChanged?.status === 'CONFIRMED') waiter.resolve(performance.now());
      else if (message.type === 'error') waiter.reject(new Failure('subscription refused'));
    });
  }

  static open(wsUrl: string, token: string): Promise<CustomerSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl, PROTOCOL);
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.once('message', (data) => {
        if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve(new CustomerSocket(socket));
        else reject(new Error(`no connection_ack: ${String(data).slice(0, 200)}`));
      });
    });
  }

  /** Subscribes to the order; the promise settles with the time CONFIRMED arrives. */
  watch(orderId: string): { confirmed: Promise<number>; stop: () => void } {
    const id = String((this.next += 1));
    const confirmed = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Failure('CONFIRMED not seen within 15 s')), CONFIRM_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (at) => (clearTimeout(timer), resolve(at)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: WATCH, variables: { id: orderId } } }));
    return {
      confirmed,
      stop: () => {
        this.waiting.delete(id);
        if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ id, type: 'complete' }));
      },
    };
  }

  close(): void {
    this.socket.close();
  }
}

async function checkout(command: Extract<CustomersCommand, { type: 'run' }>, customer: Customer, socket: CustomerSocket, productId: string, orders: string[]): Promise<number> {
  const placed = await graphql<{ placeOrder: { id: string } }>(command.gatewayUrl, customer.token, 'mutation ($p: ID!) { placeOrder(input: { items: [{ productId: $p, quantity: 1 }] }) { id } }', { p: productId });
  const orderId = placed.placeOrder.id;
  orders.push(orderId);
  const watched = socket.watch(orderId);
  try {
    const started = performance.now();
    const { startPayment } = await graphql<{ startPayment: { providerPaymentId: string } }>(
      command.gatewayUrl,
      customer.token,
      'mutation ($o: ID!) { startPayment(orderId: $o) { providerPaymentId } }',
      { o: orderId },
    );
    // What Stripe.js's confirm does with the client secret; form-encoded like every Stripe request.
    const confirmed = await fetch(`${command.stripeUrl}/v1/payment_intents/${startPayment.providerPaymentId}/confirm`, {
      method: 'POST',
      headers: { authorization: `Bearer ${command.stripeKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'payment_method=pm_card_visa',
    });
    if (!confirmed.ok) throw new Failure(`Stripe confirm ${confirmed.status}`);
    return (await watched.confirmed) - started;
  } finally {
    watched.stop();
  }
}

async function run(command: Extract<CustomersCommand, { type: 'run' }>): Promise<CustomersReply> {
  const wsUrl = command.gatewayUrl.replace(/^http/, 'ws');
  const sockets = await Promise.all(command.customers.map((customer) => CustomerSocket.open(wsUrl, customer.token)));
  const latenciesMs: number[] = [];
  const failures: Record<string, number> = {};
  const orderIds: string[] = [];
  const idle = command.customers.map((_, index) => index);
  let late = 0;
  let sequence = 0;
  const one = async (customerIndex: number) => {
    const productId = command.productIds[sequence++ % command.productIds.length]!;
    try {
      latenciesMs.push(await checkout(command, command.customers[customerIndex]!, sockets[customerIndex]!, productId, orderIds));
    } catch (error) {
      const kind = error instanceof Failure ? error.kind : String((error as Error).message ?? error).slice(0, 80);
      failures[kind] = (failures[kind] ?? 0) + 1;
    }
  };
  const started = performance.now();
  const until = started + command.seconds * 1000;
  const inFlight = new Set<Promise<void>>();
  if (command.pace.kind === 'flat-out') {
    await Promise.all(
      idle.map(async (customerIndex) => {
        while (performance.now() < until) await one(customerIndex);
      }),
    );
  } else {
    // Open loop: a checkout starts every 1/perSecond seconds on an idle customer, whatever the last ones take.
    const interval = 1000 / command.pace.perSecond;
    for (let due = started; due < until; due += interval) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (idle.length === 0) late += 1;
      while (idle.length === 0) await Promise.race(inFlight);
      const customerIndex = idle.shift()!;
      const task: Promise<void> = one(customerIndex).finally(() => {
        inFlight.delete(task);
        idle.push(customerIndex);
      });
      inFlight.add(task);
    }
    await Promise.all(inFlight);
  }
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.close();
  return { type: 'ran', latenciesMs, seconds, failures, orderIds, late };
}

process.on('message', (command: CustomersCommand) => {
  if (command.type === 'exit') {
    process.disconnect();
    return;
  }
  run(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({ type: 'ran', latenciesMs: [], seconds: 0, failures: {}, orderIds: [], late: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
