/**
 * The subscribers of the subscriptions benchmark, in a child process of their own (bench/subscriptions.ts forks
 * it), so the gateway's process holds only what the gateway holds. Speaks graphql-transport-ws over plain `ws`
 * sockets, runs the status-changing mutations itself and times, on one clock, each mutation's return and each
 * subscriber's message. Commands and replies travel over the fork's IPC channel.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface Subscriber {
  readonly token: string;
  readonly orderId: string;
}

export type ClientCommand =
  | { readonly type: 'connect'; readonly wsUrl: string; readonly query: string; readonly subscribers: readonly Subscriber[] }
  | {
      readonly type: 'change';
      readonly httpUrl: string;
      readonly adminToken: string;
      readonly mutation: 'confirmOrder' | 'completeOrder';
      readonly status: string;
      readonly orderIds: readonly string[];
      /** Mutations in flight at once: 1 is one change at a time. */
      readonly concurrency: number;
    }
  | { readonly type: 'disconnect' }
  | { readonly type: 'cycles'; readonly wsUrl: string; readonly query: string; readonly subscribers: readonly Subscriber[]; readonly count: number; readonly concurrency: number }
  | { readonly type: 'exit' };

export type ClientReply =
  | { readonly type: 'connected'; readonly sockets: number }
  | { readonly type: 'changed'; readonly latenciesMs: number[]; readonly errors: number }
  | { readonly type: 'disconnected' }
  | { readonly type: 'cycled'; readonly cycles: number }
  | { readonly type: 'failed'; readonly message: string };

const PROTOCOL = 'graphql-transport-ws';
const CONNECT_CONCURRENCY = 50;
const DELIVERY_TIMEOUT_MS = 30_000;

const sockets: WebSocket[] = [];
/** Receipt times per `orderId:status`, and the subscribers expected for each order. */
const receipts = new Map<string, number[]>();
const subscribersPerOrder = new Map<string, number>();
const waiters = new Map<string, () => void>();
let errorMessages = 0;

function reply(message: ClientReply): void {
  process.send?.(message);
}

/** Opens a socket, passes connection_init, and resolves with it once acknowledged. */
function open(wsUrl: string, token: string, onMessage: (message: Record<string, unknown>) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, PROTOCOL);
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (message['type'] === 'connection_ack') resolve(socket);
      else onMessage(message);
    });
    socket.once('close', (code) => reject(new Error(`socket closed with ${code} before connection_ack`)));
  });
}

async function inParallel<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let index = next++; index < items.length; index = next++) await task(items[index]!, index);
    }),
  );
}

function recordUpdate(orderId: string, message: Record<string, unknown>): void {
  const now = performance.now();
  if (message['type'] !== 'next') return;
  const payload = message['payload'] as { data?: { orderStatusChanged?: { status?: string } } | null; errors?: unknown[] };
  const status = payload.data?.orderStatusChanged?.status;
  if (payload.errors?.length || !status) {
    errorMessages += 1;
    return;
  }
  const key = `${orderId}:${status}`;
  const times = receipts.get(key) ?? [];
  times.push(now);
  receipts.set(key, times);
  if (times.length >= (subscribersPerOrder.get(orderId) ?? 0)) waiters.get(key)?.();
}

async function connect(command: Extract<ClientCommand, { type: 'connect' }>): Promise<ClientReply> {
  for (const { orderId } of command.subscribers) subscribersPerOrder.set(orderId, (subscribersPerOrder.get(orderId) ?? 0) + 1);
  await inParallel(command.subscribers, CONNECT_CONCURRENCY, async ({ token, orderId }) => {
    const socket = await open(command.wsUrl, token, (message) => recordUpdate(orderId, message));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: command.query, variables: { id: orderId } } }));
    sockets.push(socket);
  });
  return { type: 'connected', sockets: sockets.length };
}

function allReceived(key: string, expected: number): Promise<void> {
  if ((receipts.get(key)?.length ?? 0) >= expected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${key}: ${receipts.get(key)?.length ?? 0} of ${expected} updates after ${DELIVERY_TIMEOUT_MS} ms`)), DELIVERY_TIMEOUT_MS);
    waiters.set(key, () => {
      clearTimeout(timer);
      waiters.delete(key);
      resolve();
    });
  });
}

async function change(command: Extract<ClientCommand, { type: 'change' }>): Promise<ClientReply> {
  const latenciesMs: number[] = [];
  const errorsBefore = errorMessages;
  await inParallel(command.orderIds, command.concurrency, async (orderId) => {
    const key = `${orderId}:${command.status}`;
    const expected = subscribersPerOrder.get(orderId) ?? 0;
    const delivered = allReceived(key, expected);
    const response = await fetch(command.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${command.adminToken}` },
      body: JSON.stringify({ query: `mutation ($id: ID!) { ${command.mutation}(id: $id) { status } }`, variables: { id: orderId } }),
    });
    const body = (await response.json()) as { data?: Record<string, { status: string }> | null; errors?: unknown };
    // The mutation has returned: what the latency is measured from.
    const returnedAt = performance.now();
    if (body.data?.[command.mutation]?.status !== command.status) throw new Error(`${command.mutation}(${orderId}) failed: ${JSON.stringify(body.errors)}`);
    await delivered;
    for (const receivedAt of receipts.get(key)!) latenciesMs.push(receivedAt - returnedAt);
  });
  return { type: 'changed', latenciesMs, errors: errorMessages - errorsBefore };
}

async function disconnect(): Promise<ClientReply> {
  await Promise.all(
    sockets.splice(0).map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000);
        }),
    ),
  );
  subscribersPerOrder.clear();
  receipts.clear();
  return { type: 'disconnected' };
}

/** Subscribe/disconnect cycles: subscribe, wait for a query answered on the same socket after it, close. */
async function cycles(command: Extract<ClientCommand, { type: 'cycles' }>): Promise<ClientReply> {
  const indexes = Array.from({ length: command.count }, (_, i) => i);
  await inParallel(indexes, command.concurrency, async (i) => {
    const { token, orderId } = command.subscribers[i % command.subscribers.length]!;
    let answered: () => void = () => undefined;
    const queryAnswered = new Promise<void>((resolve) => (answered = resolve));
    const socket = await open(command.wsUrl, token, (message) => {
      if (message['id'] === 'q' && message['type'] === 'complete') answered();
    });
    socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: command.query, variables: { id: orderId } } }));
    socket.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: 'query ($id: ID!) { order(id: $id) { id } }', variables: { id: orderId } } }));
    await queryAnswered;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1000);
    });
  });
  return { type: 'cycled', cycles: command.count };
}

process.on('message', (command: ClientCommand) => {
  const handle = async (): Promise<ClientReply | undefined> => {
    switch (command.type) {
      case 'connect':
        return connect(command);
      case 'change':
        return change(command);
      case 'disconnect':
        return disconnect();
      case 'cycles':
        return cycles(command);
      case 'exit':
        await disconnect();
        process.disconnect?.();
        return undefined;
    }
  };
  handle().then(
    (result) => result && reply(result),
    (error: unknown) => reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});
