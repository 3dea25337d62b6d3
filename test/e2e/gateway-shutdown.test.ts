import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { waitFor } from '../../lib/events/testing/wait-for';
import { freePort, stopChild } from '../../lib/process';
import type { RunningSystem } from '../../scripts/system';
import { graphql, type GraphQLResponse } from '../support/graphql';
import { createProduct, initialisedSocket, multipartSubscribe, placeOrder, type MultipartStream, type RawSocket } from '../support/subscriptions';
import { startTestSystem, testEnv, tokenFor } from '../support/system';

/**
 * SIGTERM to a standalone gateway process (scripts/run-service.ts, as a container runs it) while it serves a
 * graphql-ws subscription, a multipart subscription and a query still waiting on a subgraph: the socket is closed
 * with 1012 (service restart: reconnect), the stream ends with a final part and the closing delimiter, the query is
 * answered in full, and the process exits with 0 within 5 s.
 */

const ROOT = resolve(__dirname, '../..');
const WATCH = 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status } }';
let system: RunningSystem;
let gateway: ChildProcess | undefined;
let output = '';
let proxy: Server;
/** Requests to Rewards wait here while held. */
const held: (() => void)[] = [];
let holding = false;

beforeAll(async () => {
  system = await startTestSystem('gateway-shutdown');
  // Rewards behind a proxy that can hold requests: a query is still at a subgraph when the signal arrives.
  const target = new URL(system.urls.rewards);
  proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const forward = () => {
      const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    };
    if (holding) held.push(forward);
    else forward();
  });
  await new Promise<void>((ready) => proxy.listen(0, '127.0.0.1', ready));
}, 60_000);

afterAll(async () => {
  if (gateway) await stopChild(gateway, 10_000);
  await new Promise<void>((closed) => proxy.close(() => closed()));
  await system?.stop();
});

it('closes sockets with 1012, ends streams, drains the request in flight and exits within 5 s', async () => {
  const admin = await tokenFor('admin-shutdown', { admin: true });
  const customer = await tokenFor('customer-shutdown');
  const productId = await createProduct(system.urls.gateway, admin, { name: 'Last Lamp', amount: 1_200 });
  const orderId = await placeOrder(system.urls.gateway, customer, [{ productId, quantity: 1 }]);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  gateway = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'scripts/run-service.ts'), 'gateway'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...testEnv('gateway-shutdown', {}),
      GATEWAY_PORT: String(port),
      CATALOG_URL: `${system.urls.catalog}/graphql`,
      ORDERS_URL: `${system.urls.orders}/graphql`,
      REWARDS_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gateway.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  gateway.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    gateway!.once('exit', (code, signal) => done({ code, signal, at: Date.now() })),
  );
  await waitFor(
    'the gateway process to listen',
    () => {
      if (gateway!.exitCode !== null) throw new Error(`the gateway exited:\n${output}`);
      return output.includes('gateway is listening');
    },
    90_000,
  );

  const socket: RawSocket = await initialisedSocket(url, customer);
  socket.send({ id: 'w', type: 'subscribe', payload: { query: WATCH, variables: { id: orderId } } });
  const stream: MultipartStream = await multipartSubscribe(url, customer, WATCH, { id: orderId });
  expect(stream.status).toBe(200);

  holding = true;
  const inFlight: Promise<GraphQLResponse<{ me: { rewards: { balance: number } } }>> = graphql(url, '{ me { rewards { balance } } }', {}, { token: customer });
  await waitFor('the query to wait at Rewards', () => held.length === 1);

  const signalled = Date.now();
  gateway.kill('SIGTERM');
  expect(await socket.closed).toEqual({ code: 1012, reason: 'Service restart' });
  await stream.ended;
  expect(stream.parts.filter((part) => 'payload' in part)).toEqual([
    { payload: null, errors: [{ message: 'the gateway is restarting: subscribe again', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
  ]);
  expect(stream.isEnded()).toBe(true);

  // Only now does Rewards answer: the drain waited for it.
  holding = false;
  for (const forward of held) forward();
  const answered = await inFlight;
  expect(answered.status).toBe(200);
  expect(answered.errors).toBeUndefined();
  expect(answered.data).toEqual({ me: { rewards: { balance: 0 } } });

  const exit = await exited;
  expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
  expect(exit.at - signalled).toBeLessThan(5_000);
  gateway = undefined;
}, 120_000);
