import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { parse, type ExecutionResult } from 'graphql';
import type { Caller } from '../../lib/auth';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createErrorFormatter } from '../../lib/graphql';
import { createLogger } from '../../lib/logging';
import { formatResult } from './format-result';
import { InProcessOrderStatusFeed } from './order-status-feed';
import type { OrderStatusMessage } from './order-status-message';
import { SubscriptionExecutor } from './subscription-executor';
import { FakeSupergraph } from './test-support/fake-supergraph';

const logger = createLogger({ service: 'subscription-executor-test', level: 'silent' });
/** What the transports send: results through the gateway's one error mapping. */
const formatted = (result: ExecutionResult) => formatResult(result, createErrorFormatter(logger));
const owner: Caller = { sub: 'customer-1', roles: [] };
const stranger: Caller = { sub: 'customer-2', roles: [] };
const admin: Caller = { sub: 'admin-1', roles: ['admin'] };

const WATCH = `subscription ($id: ID!) {
  orderStatusChanged(orderId: $id) { status previousStatus at order { status total { amount } items { product { name } } rewardPoints } }
}`;

let supergraph: FakeSupergraph;
let feed: InProcessOrderStatusFeed;
let executor: SubscriptionExecutor;

beforeEach(() => {
  supergraph = new FakeSupergraph();
  supergraph.addOrder({ id: 'order-1', customerId: 'customer-1', total: { amount: 2500, currency: 'USD' }, items: [{ product: { id: 'p-1', name: 'Lamp' }, quantity: 1 }] });
  feed = new InProcessOrderStatusFeed();
  executor = new SubscriptionExecutor({ schema: () => supergraph.schema, feed, execute: supergraph.execute, logger });
});

function subscribe(caller: Caller, orderId = 'order-1', query = WATCH, variables: Record<string, unknown> = {}) {
  return executor.subscribe({
    document: parse(query),
    variableValues: { id: orderId, ...variables },
    operationName: undefined,
    contextValue: { caller, correlationId: randomUUID(), logger },
  });
}

async function stream(caller: Caller, orderId = 'order-1', query = WATCH, variables: Record<string, unknown> = {}): Promise<AsyncIterableIterator<ExecutionResult>> {
  const result = await subscribe(caller, orderId, query, variables);
  if (!(Symbol.asyncIterator in result)) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result;
}

function change(status: OrderStatusMessage['status'], previousStatus: OrderStatusMessage['previousStatus'], orderId = 'order-1'): OrderStatusMessage {
  const order = supergraph.orders.get(orderId);
  if (order) order.status = status;
  return { eventId: randomUUID(), orderId, customerId: 'customer-1', status, previousStatus, at: '2026-03-01T10:00:00.000Z' };
}

/** A status change as the order records it: the next version, and the message its event becomes. */
function versioned(status: OrderStatusMessage['status'], previousStatus: OrderStatusMessage['previousStatus'], at: string): OrderStatusMessage {
  const order = supergraph.orders.get('order-1')!;
  order.status = status;
  order.version += 1;
  order.updatedAt = at;
  return { eventId: randomUUID(), orderId: 'order-1', customerId: 'customer-1', status, previousStatus, at, version: order.version };
}

const RESUME = `subscription ($id: ID!, $after: Int) {
  orderStatusChanged(orderId: $id, afterVersion: $after) { status previousStatus at version order { status version } }
}`;
const update = (status: string, previousStatus: string | null, at: string, version: number) => ({
  data: { orderStatusChanged: { status, previousStatus, at, version, order: { status, version } } },
});

describe('SubscriptionExecutor', () => {
  it('resolves each update from the status message and the order fetched through the supergraph as the subscriber', async () => {
    const updates = await stream(owner);
    const next = updates.next();
    await feed.publish(change('CONFIRMED', 'PENDING'));
    expect(await next).toEqual({
      done: false,
      value: {
        data: {
          orderStatusChanged: {
            status: 'CONFIRMED',
            previousStatus: 'PENDING',
            at: '2026-03-01T10:00:00.000Z',
            order: { status: 'CONFIRMED', total: { amount: 2500 }, items: [{ product: { name: 'Lamp' } }], rewardPoints: null },
          },
        },
      },
    });
    // The access check reads fresh (joins no identical check already in flight: it may have read before this watch);
    // an update's payload may be shared by the subscribers of that one event.
    expect(supergraph.executed.map((request) => [request.operationName, request.caller, request.fresh])).toEqual([
      ['OrderStatusChangedAccess', owner, true],
      ['OrderStatusChangedOrder', owner, false],
    ]);
    await updates.return?.();
  });

  it('watches before checking access, so a change made during the check is delivered', async () => {
    const release = supergraph.hold('OrderStatusChangedAccess');
    const pending = subscribe(owner);
    await waitFor('the listener', () => feed.stats().listeners === 1);
    await feed.publish(change('CONFIRMED', 'PENDING'));
    release();
    const updates = await pending;
    if (!(Symbol.asyncIterator in updates)) throw new Error('refused');
    expect((await updates.next()).value).toMatchObject({ data: { orderStatusChanged: { status: 'CONFIRMED', previousStatus: 'PENDING' } } });
    await updates.return?.();
  });

  it.each([
    ['another customer', stranger, 'order-1', { message: 'order order-1 belongs to another customer', code: 'FORBIDDEN' }],
    ['an unknown order', owner, 'order-404', { message: 'no order with id "order-404"', code: 'NOT_FOUND' }],
    ['an anonymous caller', null, 'order-1', { message: 'you must be signed in to subscribe to order status: send Authorization: Bearer <token>', code: 'UNAUTHENTICATED' }],
  ])('refuses %s with an error on the field, holding nothing', async (_case, caller, orderId, expected) => {
    const result = await subscribe(caller, orderId);
    if (Symbol.asyncIterator in result) throw new Error('expected a refusal');
    const { data, errors } = formatted(result);
    expect(data).toBeUndefined();
    expect(errors?.map((error) => ({ message: error.message, code: error.extensions?.['code'], path: error.path }))).toEqual([{ ...expected, path: ['orderStatusChanged'] }]);
    expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
  });

  it('lets an admin subscribe to any order', async () => {
    const updates = await stream(admin);
    const next = updates.next();
    await feed.publish(change('CANCELLED', 'PENDING'));
    expect((await next).value).toMatchObject({ data: { orderStatusChanged: { status: 'CANCELLED', order: { status: 'CANCELLED' } } } });
    await updates.return?.();
  });

  it('fetches the order once per event for subscribers with the same identity and selection, separately otherwise', async () => {
    const sameA = await stream(owner);
    const sameB = await stream(owner);
    const byAdmin = await stream(admin);
    const otherSelection = await stream(owner, 'order-1', 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { order { id } } }');
    const nexts = [sameA.next(), sameB.next(), byAdmin.next(), otherSelection.next()];
    await feed.publish(change('CONFIRMED', 'PENDING'));
    const results = await Promise.all(nexts);
    expect(results.map((r) => r.done)).toEqual([false, false, false, false]);
    expect(results[0]!.value).toEqual(results[1]!.value);
    expect(results[3]!.value).toEqual({ data: { orderStatusChanged: { order: { id: 'order-1' } } } });
    // Owner x2 share one fetch; the admin and the other selection have their own.
    expect(supergraph.count('OrderStatusChangedOrder')).toBe(3);

    const again = [sameA.next(), sameB.next()];
    await feed.publish(change('COMPLETED', 'CONFIRMED'));
    await Promise.all(again);
    // A new event is a new fetch (one, shared by the two subscribers that read it).
    expect(supergraph.count('OrderStatusChangedOrder')).toBe(4);
    await Promise.all([sameA, sameB, byAdmin, otherSelection].map((s) => s.return?.()));
  });

  it('reports an order that can no longer be read on that update, with the code of the reason', async () => {
    const updates = await stream(owner);
    const next = updates.next();
    supergraph.orders.delete('order-1');
    await feed.publish(change('CANCELLED', 'PENDING'));
    const { data, errors } = formatted((await next).value as ExecutionResult);
    expect(data).toBeNull();
    expect(errors?.map((error) => [error.message, error.extensions?.['code'], error.path])).toEqual([
      ['order order-1 is no longer available', 'NOT_FOUND', ['orderStatusChanged', 'order']],
    ]);
    await updates.return?.();
  });

  it('sends a redelivered event once: delivery is at least once, updates are not', async () => {
    const updates = await stream(owner, 'order-1', 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status previousStatus } }');
    const confirmed = change('CONFIRMED', 'PENDING');
    const completed = change('COMPLETED', 'CONFIRMED');
    for (const message of [confirmed, confirmed, completed, confirmed, completed]) await feed.publish(message);
    const received = [await updates.next(), await updates.next()];
    expect(received.map((r) => r.value)).toEqual([
      { data: { orderStatusChanged: { status: 'CONFIRMED', previousStatus: 'PENDING' } } },
      { data: { orderStatusChanged: { status: 'COMPLETED', previousStatus: 'CONFIRMED' } } },
    ]);
    // Nothing else is queued: the next update is the next new event.
    const next = updates.next();
    const cancelled = change('CANCELLED', 'COMPLETED');
    await feed.publish(cancelled);
    expect((await next).value).toEqual({ data: { orderStatusChanged: { status: 'CANCELLED', previousStatus: 'COMPLETED' } } });
    await updates.return?.();
  });

  describe('resuming with afterVersion', () => {
    it('sends the current state first when the order is beyond it, then each later change once, in version order', async () => {
      // While the client was away: CONFIRMED (version 2).
      const confirmed = versioned('CONFIRMED', 'PENDING', '2026-03-01T10:00:00.000Z');
      const updates = await stream(owner, 'order-1', RESUME, { after: 1 });
      expect((await updates.next()).value).toEqual(update('CONFIRMED', null, '2026-03-01T10:00:00.000Z', 2));
      // A late delivery of what the current state already showed is not sent again; the next change is.
      const completed = versioned('COMPLETED', 'CONFIRMED', '2026-03-01T11:00:00.000Z');
      for (const message of [confirmed, completed, confirmed]) await feed.publish(message);
      expect((await updates.next()).value).toEqual(update('COMPLETED', 'CONFIRMED', '2026-03-01T11:00:00.000Z', 3));
      const next = updates.next();
      await feed.publish(versioned('CANCELLED', 'COMPLETED', '2026-03-01T12:00:00.000Z'));
      expect((await next).value).toEqual(update('CANCELLED', 'COMPLETED', '2026-03-01T12:00:00.000Z', 4));
      await updates.return?.();
    });

    it.each([
      ['the order version itself', 2],
      ['a version the order never had (treated as its current one)', 99],
    ])('sends nothing first for %s, and the next change when it happens', async (_case, after) => {
      versioned('CONFIRMED', 'PENDING', '2026-03-01T10:00:00.000Z');
      const updates = await stream(owner, 'order-1', RESUME, { after });
      const next = updates.next();
      await feed.publish(versioned('COMPLETED', 'CONFIRMED', '2026-03-01T11:00:00.000Z'));
      expect((await next).value).toEqual(update('COMPLETED', 'CONFIRMED', '2026-03-01T11:00:00.000Z', 3));
      await updates.return?.();
    });

    it('has no gap and no duplicate when a change lands while the subscription starts', async () => {
      const release = supergraph.hold('OrderStatusChangedAccess');
      const pending = subscribe(owner, 'order-1', RESUME, { after: 1 });
      await waitFor('the listener', () => feed.stats().listeners === 1);
      // Both changes happen before the access check reads the order; their events arrive around it.
      const confirmed = versioned('CONFIRMED', 'PENDING', '2026-03-01T10:00:00.000Z');
      const completed = versioned('COMPLETED', 'CONFIRMED', '2026-03-01T11:00:00.000Z');
      await feed.publish(confirmed);
      release();
      const updates = await pending;
      if (!(Symbol.asyncIterator in updates)) throw new Error('refused');
      await feed.publish(completed);
      const cancelled = versioned('CANCELLED', 'COMPLETED', '2026-03-01T12:00:00.000Z');
      await feed.publish(cancelled);
      expect([(await updates.next()).value, (await updates.next()).value]).toEqual([
        update('COMPLETED', null, '2026-03-01T11:00:00.000Z', 3),
        update('CANCELLED', 'COMPLETED', '2026-03-01T12:00:00.000Z', 4),
      ]);
      await updates.return?.();
    });

    it('without afterVersion, sends only changes from now on (as before)', async () => {
      versioned('CONFIRMED', 'PENDING', '2026-03-01T10:00:00.000Z');
      const updates = await stream(owner, 'order-1', RESUME);
      const next = updates.next();
      await feed.publish(versioned('COMPLETED', 'CONFIRMED', '2026-03-01T11:00:00.000Z'));
      expect((await next).value).toEqual(update('COMPLETED', 'CONFIRMED', '2026-03-01T11:00:00.000Z', 3));
      await updates.return?.();
    });

    it('refuses a negative afterVersion with BAD_USER_INPUT, holding nothing', async () => {
      const result = await subscribe(owner, 'order-1', RESUME, { after: -1 });
      if (Symbol.asyncIterator in result) throw new Error('expected a refusal');
      expect(formatted(result).errors?.map((error) => [error.message, error.extensions?.['code']])).toEqual([
        ['afterVersion must be 0 or more, got -1', 'BAD_USER_INPUT'],
      ]);
      expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
    });
  });

  it('releases the feed listener when the stream is returned, and only then', async () => {
    const first = await stream(owner);
    const second = await stream(owner);
    expect(feed.stats()).toEqual({ orders: 1, listeners: 2 });
    await first.return?.();
    expect(feed.stats()).toEqual({ orders: 1, listeners: 1 });
    await second.return?.();
    expect(feed.stats()).toEqual({ orders: 0, listeners: 0 });
  });
});
