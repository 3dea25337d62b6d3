import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestListener } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import type { VerifiedIdentity } from '../../lib/auth';
import { loadConfig } from '../../lib/config';
import { UnauthenticatedError } from '../../lib/ddd';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createErrorFormatter } from '../../lib/graphql';
import { listen, type RunningServer } from '../../lib/http';
import { createLogger, RequestDeadline } from '../../lib/logging';
import { Edge } from '../edge/admission';
import { admitStep } from '../http/admit-step';
import type { GraphQLExchange, HttpStep } from '../http/exchange';
import { identifyStep } from '../http/identify-step';
import { readBodyStep } from '../http/read-body-step';
import { OperationGuard } from '../limits/operation-guard';
import { NO_RATE_LIMIT } from '../rate-limit/rate-limiter';
import { multipartSubscriptions, OpenStreams } from './multipart-subscriptions';
import { UNLIMITED_SLOTS } from './subscription-slots';
import { InProcessOrderStatusFeed } from './order-status-feed';
import { SubscriptionExecutor } from './subscription-executor';
import { FakeSupergraph } from './test-support/fake-supergraph';
import { attachWebSocketServer, type GraphQLWebSocketServer } from './websocket-server';

/**
 * A client can leave while its subscription is still being set up: during token verification or during the access
 * check (a supergraph query). Whatever the moment, nothing it started may stay behind: no feed listener, no
 * heartbeat. Each stage is held open here until the client is gone, which an end-to-end run only hits by chance.
 */

const logger = createLogger({ service: 'disconnect-test', level: 'silent' });
const limits = loadConfig({ NODE_ENV: 'test' }).queryLimits;
const WATCH = 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status order { status } } }';

let supergraph: FakeSupergraph;
let feed: InProcessOrderStatusFeed;
let executor: SubscriptionExecutor;
let server: RunningServer;
let websocket: GraphQLWebSocketServer | undefined;
let tokenGate: Promise<void> | undefined;
let releaseToken: () => void = () => undefined;

let tokensRequested = 0;
const verifyToken = async (token: string): Promise<VerifiedIdentity> => {
  tokensRequested += 1;
  await tokenGate;
  if (token !== 'customer-1-token') throw new UnauthenticatedError('invalid token');
  return { sub: 'customer-1', roles: [], expiresAt: Math.floor(Date.now() / 1000) + 600 };
};
const edgeFor = () =>
  new Edge({ verifyToken, guard: new OperationGuard(() => supergraph.schema, limits), rateLimiter: NO_RATE_LIMIT, documents: undefined, schema: () => supergraph.schema });
const addressOf = () => '127.0.0.1';
function holdTokens(): void {
  tokenGate = new Promise<void>((resolve) => {
    releaseToken = () => {
      tokenGate = undefined;
      resolve();
    };
  });
}

beforeEach(async () => {
  tokensRequested = 0;
  supergraph = new FakeSupergraph();
  supergraph.addOrder({ id: 'order-1', customerId: 'customer-1', total: { amount: 100, currency: 'USD' }, items: [] });
  feed = new InProcessOrderStatusFeed();
  executor = new SubscriptionExecutor({ schema: () => supergraph.schema, feed, execute: supergraph.execute, logger });
  // The /graphql pipeline's steps up to multipart subscriptions (gateway/http/graphql-route.ts); anything else is 404.
  const edge = edgeFor();
  const steps: HttpStep[] = [
    identifyStep(edge),
    readBodyStep(1024 * 1024),
    admitStep(edge),
    multipartSubscriptions({ schema: () => supergraph.schema, executor, slots: UNLIMITED_SLOTS, streams: new OpenStreams(), formatError: createErrorFormatter(logger), logger, hideSchemaDetails: false, heartbeatMs: 20 }),
    ({ res }) => {
      res.statusCode = 404;
      res.end();
      return true;
    },
  ];
  const listener: RequestListener = (req, res) => {
    const exchange: GraphQLExchange = { req, res, correlationId: 'disconnect-test', deadline: new RequestDeadline(10_000), address: addressOf(), body: undefined, url: req.url ?? '' };
    void (async () => {
      for (const step of steps) if (await step(exchange)) return;
    })();
  };
  server = await listen(listener, 0, '127.0.0.1');
});
afterEach(async () => {
  releaseToken();
  await websocket?.close();
  websocket = undefined;
  await server.close();
});

/** Open connections to the test server, as the server counts them. */
const openConnections = () => new Promise<number>((resolve, reject) => server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));

/** A multipart subscription request on its own connection, which `destroy()` drops at once. */
function subscribeOverHttp(): { request: ClientRequest; response: Promise<IncomingMessage> } {
  const body = JSON.stringify({ query: WATCH, variables: { id: 'order-1' } });
  const request = httpRequest(`${server.url}/graphql`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec="1.0"', authorization: 'Bearer customer-1-token' },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
  });
  response.catch(() => undefined);
  request.end(body);
  return { request, response };
}

describe('multipart', () => {
  async function leaveWhile(hold: () => () => void, reached: () => boolean): Promise<void> {
    const release = hold();
    const { request } = subscribeOverHttp();
    await waitFor('the request to reach the held stage', reached);
    request.destroy();
    await waitFor('the server to see the client leave', async () => (await openConnections()) === 0);
    release();
  }

  /**
   * The barrier for "the left client started nothing": a second subscription, made after the held stage was
   * released, set up completely. The left request's remaining setup runs without I/O once released, while the
   * second one needs a new connection and a request, so once the second is watching the first has finished.
   * An update then reaches exactly the second subscription: one listener, one order fetch.
   */
  async function expectOnlyTheBarrierWatching(accessChecksBefore: number): Promise<void> {
    const { request, response } = subscribeOverHttp();
    const stream = await response;
    let received = '';
    stream.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await waitFor('the barrier subscription to watch', () => feed.stats().listeners >= 1);
    expect(feed.stats()).toEqual({ orders: 1, listeners: 1 });
    expect(supergraph.count('OrderStatusChangedAccess')).toBe(accessChecksBefore + 1);
    await feed.publish({ eventId: 'e-1', orderId: 'order-1', customerId: 'customer-1', status: 'CONFIRMED', previousStatus: 'PENDING', at: '2026-03-01T10:00:00.000Z' });
    await waitFor('the update on the barrier subscription', () => received.includes('CONFIRMED'));
    expect(supergraph.count('OrderStatusChangedOrder')).toBe(1);
    request.destroy();
    await waitFor('the barrier listener to be released', () => feed.stats().listeners === 0);
    expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
  }

  it('leaves nothing behind when the client leaves during the access check', async () => {
    await leaveWhile(
      () => supergraph.hold('OrderStatusChangedAccess'),
      () => supergraph.count('OrderStatusChangedAccess') === 1,
    );
    // An update after the client left reaches only the barrier: the left client costs no listener and no order fetch.
    await expectOnlyTheBarrierWatching(1);
  });

  it('leaves nothing behind when the client leaves during token verification', async () => {
    await leaveWhile(
      () => {
        holdTokens();
        return releaseToken;
      },
      () => tokensRequested === 1,
    );
    // The left client got no access check: the only one is the barrier's.
    await expectOnlyTheBarrierWatching(0);
    expect(tokensRequested).toBe(2);
  });

  it('stops its heartbeat and releases its listener when the client leaves mid-stream', async () => {
    const { request, response } = subscribeOverHttp();
    const stream = await response;
    expect(stream.statusCode).toBe(200);
    let received = '';
    stream.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await waitFor('two heartbeats', () => (received.match(/\{\}/g) ?? []).length >= 2);
    expect(feed.stats()).toEqual({ orders: 1, listeners: 1 });
    request.destroy();
    await waitFor('the listener to be released', () => feed.stats().listeners === 0);
  });
});

describe('graphql-ws', () => {
  it('leaves nothing behind when the socket closes during the access check', async () => {
    websocket = attachWebSocketServer(server.server, {
      path: '/graphql',
      schema: () => supergraph.schema,
      executor,
      slots: UNLIMITED_SLOTS,
      execute: supergraph.execute,
      formatError: createErrorFormatter(logger),
      edge: edgeFor(),
      rateLimiter: NO_RATE_LIMIT,
      addressOf,
      connectionsPerAddress: 50,
      subscribesPerConnectionPerMinute: 60,
      hideSchemaDetails: false,
      maxSubscriptionsPerConnection: 20,
      keepAliveMs: 60_000,
      requestTimeoutMs: 10_000,
      logger,
    });
    const release = supergraph.hold('OrderStatusChangedAccess');
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const acknowledged = new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer customer-1-token' } }));
    await acknowledged;
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: WATCH, variables: { id: 'order-1' } } }));
    await waitFor('the access check to start', () => supergraph.count('OrderStatusChangedAccess') === 1);
    expect(feed.stats()).toEqual({ orders: 1, listeners: 1 });
    socket.close(1000);
    await waitFor('the server to drop the socket', () => websocket!.connections() === 0);
    release();
    await waitFor('the listener to be released', () => feed.stats().listeners === 0);
    expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
  });
});
