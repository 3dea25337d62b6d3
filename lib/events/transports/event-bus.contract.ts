import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { BackoffOptions } from '../backoff';
import type { DeadLetterReader } from '../dead-letter';
import { InvalidEventError, type AnyEventEnvelope } from '../envelope';
import { EventBusClosedError } from '../errors';
import type { EventBus, EventHandler } from '../event-bus';
import type { EventType } from '../schemas';
import { signedEventBody } from '../event-signature';
import { sampleEnvelope, TEST_EVENT_SIGNING_SECRET } from '../testing/fixtures';
import { waitFor } from '../testing/wait-for';

/**
 * The settings every transport under contract is built with: the real attempt limit, fast retries, and
 * TEST_EVENT_SIGNING_SECRET as its EVENT_SIGNING_SECRET.
 */
export interface ContractSettings {
  readonly maxAttempts: number;
  readonly retryBackoff: BackoffOptions;
}

export interface BusUnderTest {
  readonly bus: EventBus & DeadLetterReader;
  /** Puts `body` on the route of `type` exactly as given, bypassing publish's validation (a malformed arrival). */
  injectRaw(type: EventType, body: string): Promise<void>;
  /** Releases what the harness itself opened (the bus is closed by the suite). */
  dispose(): Promise<void>;
}

const SETTINGS: ContractSettings = { maxAttempts: 5, retryBackoff: { initialMs: 10, maxMs: 40 } };

/**
 * The EventBus port's contract (docs/architecture.md §7: one suite per port, run against every adapter). Each test gets
 * a fresh bus and fresh group names, so transports sharing a server never see each other's events.
 */
export function eventBusContract(transport: string, create: (settings: ContractSettings) => Promise<BusUnderTest>): void {
  describe(`EventBus contract: ${transport}`, () => {
    let current: BusUnderTest | undefined;
    const open = async () => {
      current = await create(SETTINGS);
      return current;
    };
    const group = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

    afterEach(async () => {
      await current?.bus.close();
      await current?.dispose();
      current = undefined;
    });

    it('delivers to a consumer only the event types it subscribed to, unchanged', async () => {
      const { bus } = await open();
      const completedOnly = recorder();
      const everything = recorder();
      await bus.subscribe({ group: group('completed'), types: ['order.completed'], handle: completedOnly.handle });
      await bus.subscribe({
        group: group('all'),
        types: ['order.created', 'order.completed', 'product.created'],
        handle: everything.handle,
      });
      const first = sampleEnvelope('order.completed', { orderId: 'order-a' });
      const second = sampleEnvelope('order.completed', { orderId: 'order-b' });
      await bus.publish([sampleEnvelope('order.created'), first, sampleEnvelope('product.created'), second]);

      await waitFor('both consumers to receive their events', () => everything.calls.length === 4 && completedOnly.calls.length === 2);
      expect(completedOnly.calls).toEqual([first, second]);
      expect(everything.calls.map((e) => e.type).sort()).toEqual(['order.completed', 'order.completed', 'order.created', 'product.created']);
    });

    it('gives every consumer group every event', async () => {
      const { bus } = await open();
      const rewards = recorder();
      const gateway = recorder();
      await bus.subscribe({ group: group('rewards'), types: ['order.completed'], handle: rewards.handle });
      await bus.subscribe({ group: group('gateway'), types: ['order.completed'], handle: gateway.handle });
      const events = Array.from({ length: 5 }, (_, i) => sampleEnvelope('order.completed', { orderId: `order-${i}` }));
      await bus.publish(events);

      await waitFor('each group to receive 5 events', () => rewards.calls.length === 5 && gateway.calls.length === 5);
      expect(rewards.calls.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(gateway.calls.map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('splits the events of one group between its members, each event handled once', async () => {
      const { bus } = await open();
      const shared = group('orders');
      const first = recorder({ delayMs: 15 });
      const second = recorder({ delayMs: 15 });
      await bus.subscribe({ group: shared, types: ['payment.completed'], handle: first.handle });
      await bus.subscribe({ group: shared, types: ['payment.completed'], handle: second.handle });
      const events = Array.from({ length: 12 }, (_, i) => sampleEnvelope('payment.completed', { orderId: `order-${i}` }));
      for (const event of events) await bus.publish([event]);

      await waitFor('all 12 events to be handled', () => first.calls.length + second.calls.length === 12);
      const handled = [...first.calls, ...second.calls].map((e) => e.id);
      expect(new Set(handled).size).toBe(12);
      expect([...handled].sort()).toEqual(events.map((e) => e.id).sort());
      expect(first.calls.length).toBeGreaterThan(0);
      expect(second.calls.length).toBeGreaterThan(0);
    });

    it('retries a failing handler until it succeeds', async () => {
      const { bus } = await open();
      const consumerGroup = group('retry');
      let calls = 0;
      const succeeded: string[] = [];
      await bus.subscribe({
        group: consumerGroup,
        types: ['order.completed'],
        handle: async (envelope) => {
          calls += 1;
          if (calls <= 2) throw new Error(`transient failure ${calls}`);
          succeeded.push(envelope.id);
        },
      });
      const event = sampleEnvelope('order.completed');
      await bus.publish([event]);

      await waitFor('the third attempt to succeed', () => succeeded.length === 1);
      expect(calls).toBe(3);
      expect(succeeded).toEqual([event.id]);
      expect(await bus.deadLetters(consumerGroup)).toEqual([]);
    });

    it('dead-letters a poison event after exactly maxAttempts attempts while the events behind it are processed', async () => {
      const { bus } = await open();
      const consumerGroup = group('poison');
      const poison = sampleEnvelope('order.completed', { orderId: 'order-poison' });
      const good = Array.from({ length: 3 }, (_, i) => sampleEnvelope('order.completed', { orderId: `order-good-${i}` }));
      let poisonCalls = 0;
      const handled: string[] = [];
      await bus.subscribe({
        group: consumerGroup,
        types: ['order.completed'],
        handle: async (envelope) => {
          if (envelope.id === poison.id) {
            poisonCalls += 1;
            throw new Error('cannot handle order-poison');
          }
          handled.push(envelope.id);
        },
      });
      await bus.publish([poison, ...good]);

      await waitFor('the good events to be handled', () => handled.length === 3);
      expect(handled).toEqual(good.map((e) => e.id));
      await waitFor('the poison event to be dead-lettered', async () => (await bus.deadLetters(consumerGroup)).length === 1);
      const [letter] = await bus.deadLetters(consumerGroup);
      expect(poisonCalls).toBe(SETTINGS.maxAttempts);
      expect(letter).toMatchObject({ group: consumerGroup, deliveredAs: 'order.completed', eventId: poison.id, attempts: 5 });
      expect(letter!.reason).toContain('cannot handle order-poison');
      expect(JSON.parse(letter!.body)).toEqual({ ...poison, signature: expect.stringMatching(/^v1=/) });
      expect(handled).toHaveLength(3);
    });

    it("applies a consumer's own retry policy instead of the bus's: its number of attempts before the dead letter", async () => {
      const { bus } = await open();
      const patient = group('patient');
      const impatient = group('impatient');
      const calls = { [patient]: 0, [impatient]: 0 };
      const failing = (name: string) => async () => {
        calls[name] = (calls[name] ?? 0) + 1;
        throw new Error(`${name} cannot handle it`);
      };
      const fast = { initialMs: 10, maxMs: 40 };
      await bus.subscribe({ group: patient, types: ['order.confirmed'], handle: failing(patient), retry: { maxAttempts: 8, retryBackoff: fast } });
      await bus.subscribe({ group: impatient, types: ['order.confirmed'], handle: failing(impatient), retry: { maxAttempts: 2, retryBackoff: fast } });
      const event = sampleEnvelope('order.confirmed');
      await bus.publish([event]);

      await waitFor('both dead letters', async () => (await bus.deadLetters(patient)).length === 1 && (await bus.deadLetters(impatient)).length === 1);
      expect(calls).toEqual({ [patient]: 8, [impatient]: 2 });
      expect(SETTINGS.maxAttempts).toBe(5);
      expect((await bus.deadLetters(patient))[0]).toMatchObject({ eventId: event.id, attempts: 8, reason: expect.stringContaining('failed on all 8 attempts') });
      expect((await bus.deadLetters(impatient))[0]).toMatchObject({ eventId: event.id, attempts: 2, reason: expect.stringContaining('failed on all 2 attempts') });
    });

    it("spaces a consumer's retries by its own backoff, and succeeds on a later attempt", async () => {
      const { bus } = await open();
      const consumerGroup = group('spaced');
      const attemptsAt: number[] = [];
      await bus.subscribe({
        group: consumerGroup,
        types: ['order.shipped'],
        retry: { maxAttempts: 4, retryBackoff: { initialMs: 400, maxMs: 400 } },
        handle: async () => {
          attemptsAt.push(Date.now());
          if (attemptsAt.length < 3) throw new Error('mail server down');
        },
      });
      await bus.publish([sampleEnvelope('order.shipped')]);

      await waitFor('the third attempt', () => attemptsAt.length === 3);
      // Equal jitter waits at least half the delay: 200 ms, where the bus's own backoff is at most 40 ms.
      const gaps = attemptsAt.slice(1).map((at, i) => at - attemptsAt[i]!);
      expect(gaps.every((gap) => gap >= 200)).toBe(true);
      expect(await bus.deadLetters(consumerGroup)).toEqual([]);
    });

    it('refuses a consumer with an invalid retry policy', async () => {
      const { bus } = await open();
      const handle: EventHandler = async () => undefined;
      await expect(
        bus.subscribe({ group: group('zero'), types: ['order.completed'], handle, retry: { maxAttempts: 0, retryBackoff: { initialMs: 10, maxMs: 20 } } }),
      ).rejects.toThrow(/invalid retry policy: maxAttempts must be a positive integer, got 0/);
      await expect(
        bus.subscribe({ group: group('inverted'), types: ['order.completed'], handle, retry: { maxAttempts: 3, retryBackoff: { initialMs: 50, maxMs: 10 } } }),
      ).rejects.toThrow(/invalid retry policy: retryBackoff needs 0 <= initialMs <= maxMs/);
    });

    it('dead-letters an invalid event on receipt without calling the handler', async () => {
      const harness = await open();
      const { bus } = harness;
      const consumerGroup = group('invalid');
      const calls = recorder();
      await bus.subscribe({ group: consumerGroup, types: ['order.completed'], handle: calls.handle });
      const badData = { ...sampleEnvelope('order.completed'), data: { orderId: 42 } };
      const wrongRoute = sampleEnvelope('product.created');
      await harness.injectRaw('order.completed', 'this is not json');
      await harness.injectRaw('order.completed', signedEventBody(badData, TEST_EVENT_SIGNING_SECRET));
      await harness.injectRaw('order.completed', signedEventBody(wrongRoute, TEST_EVENT_SIGNING_SECRET));
      const valid = sampleEnvelope('order.completed');
      await bus.publish([valid]);

      await waitFor('the three invalid events to be dead-lettered', async () => (await bus.deadLetters(consumerGroup)).length === 3);
      await waitFor('the valid event to be handled', () => calls.calls.length === 1);
      expect(calls.calls).toEqual([valid]);
      const letters = await bus.deadLetters(consumerGroup);
      expect(letters.map((l) => [l.eventId, l.attempts, l.deliveredAs])).toEqual([
        [undefined, 0, 'order.completed'],
        [badData.id, 0, 'order.completed'],
        [wrongRoute.id, 0, 'order.completed'],
      ]);
      expect(letters[0]!.reason).toMatch(/invalid event: body is not JSON/);
      expect(letters[0]!.body).toBe('this is not json');
      expect(letters[1]!.reason).toMatch(/data\.orderId/);
      expect(letters[2]!.reason).toMatch(/a product\.created envelope was delivered as order\.completed/);
    });

    it('dead-letters forged, altered and unsigned events on receipt without calling the handler', async () => {
      const harness = await open();
      const { bus } = harness;
      const consumerGroup = group('forged');
      const calls = recorder();
      await bus.subscribe({ group: consumerGroup, types: ['order.completed'], handle: calls.handle });
      const unsigned = sampleEnvelope('order.completed', { orderId: 'order-unsigned' });
      const foreign = sampleEnvelope('order.completed', { orderId: 'order-foreign' });
      const signed = JSON.parse(signedEventBody(sampleEnvelope('order.completed', { orderId: 'order-altered' }), TEST_EVENT_SIGNING_SECRET)) as Record<string, unknown>;
      const altered = { ...signed, data: { ...(signed['data'] as object), total: { amount: 50_000_000, currency: 'USD' } } };
      // A field added after signing is not covered by the signature, so it is an alteration too.
      const extended = { ...signed, data: { ...(signed['data'] as object), version: 7 } };
      await harness.injectRaw('order.completed', JSON.stringify(unsigned));
      await harness.injectRaw('order.completed', signedEventBody(foreign, 'a-guessed-secret-0123456789abcdef012345'));
      await harness.injectRaw('order.completed', JSON.stringify(altered));
      await harness.injectRaw('order.completed', JSON.stringify(extended));
      // Fields a producer adds before publishing (an order version, trace context) are signed and arrive intact.
      const withExtras = { ...sampleEnvelope('order.completed', { orderId: 'order-extras' }), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
      await bus.publish([withExtras as unknown as AnyEventEnvelope]);

      await waitFor('the four forged events to be dead-lettered', async () => (await bus.deadLetters(consumerGroup)).length === 4);
      await waitFor('the genuine event to be handled', () => calls.calls.length === 1);
      expect(calls.calls.map((e) => (e.data as { orderId?: string }).orderId)).toEqual(['order-extras']);
      const letters = await bus.deadLetters(consumerGroup);
      expect(letters.map((l) => [l.eventId, l.attempts])).toEqual([
        [unsigned.id, 0],
        [foreign.id, 0],
        [signed['id'], 0],
        [signed['id'], 0],
      ]);
      expect(letters.map((l) => l.reason)).toEqual([
        'unsigned event: the envelope has no signature',
        'forged or altered event: the signature does not match the envelope',
        'forged or altered event: the signature does not match the envelope',
        'forged or altered event: the signature does not match the envelope',
      ]);
      expect(JSON.parse(letters[2]!.body)).toEqual(altered);
    });

    it('rejects an invalid envelope at publish with a clear error, publishing nothing of its batch', async () => {
      const { bus } = await open();
      const calls = recorder();
      await bus.subscribe({ group: group('publish'), types: ['order.completed'], handle: calls.handle });
      const fine = sampleEnvelope('order.completed');
      const broken = { ...sampleEnvelope('order.completed'), data: { ...sampleEnvelope('order.completed').data, total: { amount: -1, currency: 'usd' } } };

      const attempt = bus.publish([fine, broken as unknown as AnyEventEnvelope]);
      await expect(attempt).rejects.toThrow(InvalidEventError);
      await expect(attempt).rejects.toThrow(/data\.total\.amount: .*data\.total\.currency/);
      await expect(bus.publish([{ ...fine, source: 'catalog' } as unknown as AnyEventEnvelope])).rejects.toThrow(
        /order\.completed is published by orders, not "catalog"/,
      );

      const after = sampleEnvelope('order.completed');
      await bus.publish([after]);
      await waitFor('the later valid event to be handled', () => calls.calls.length >= 1);
      expect(calls.calls.map((e) => e.id)).toEqual([after.id]);
    });

    it('stops deliveries to a closed subscription, after the handler in progress has finished', async () => {
      const { bus } = await open();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const closing = recorder({ gate });
      const other = recorder();
      const subscription = await bus.subscribe({ group: group('closing'), types: ['reward.issued'], handle: closing.handle });
      await bus.subscribe({ group: group('other'), types: ['reward.issued'], handle: other.handle });
      const before = sampleEnvelope('reward.issued');
      await bus.publish([before]);
      await waitFor('the handler to start', () => closing.started.length === 1);

      let closed = false;
      const closingDone = subscription.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(false);
      release();
      await closingDone;
      expect(closing.calls.map((e) => e.id)).toEqual([before.id]);

      const after = sampleEnvelope('reward.issued');
      await bus.publish([after]);
      await waitFor('the other group to receive both events', () => other.calls.length === 2);
      expect(closing.calls.map((e) => e.id)).toEqual([before.id]);

      await bus.close();
      await expect(bus.publish([sampleEnvelope('reward.issued')])).rejects.toThrow(EventBusClosedError);
      await expect(bus.subscribe({ group: group('late'), types: ['reward.issued'], handle: other.handle })).rejects.toThrow(
        EventBusClosedError,
      );
    });

    it('refuses a consumer with no types or an unknown type', async () => {
      const { bus } = await open();
      const handle: EventHandler = async () => undefined;
      await expect(bus.subscribe({ group: group('empty'), types: [], handle })).rejects.toThrow(/at least one event type/);
      await expect(
        bus.subscribe({ group: group('unknown'), types: ['order.teleported' as EventType], handle }),
      ).rejects.toThrow(/unknown event types "order\.teleported"/);
      await expect(bus.subscribe({ group: 'has space', types: ['order.completed'], handle })).rejects.toThrow(/consumer group/);
    });
  });
}

/** A handler that records what it handled (and, with a gate, waits for the test before finishing). */
export function recorder(options: { delayMs?: number; gate?: Promise<void> } = {}) {
  const calls: AnyEventEnvelope[] = [];
  const started: AnyEventEnvelope[] = [];
  const handle: EventHandler = async (envelope) => {
    started.push(envelope);
    if (options.gate) await options.gate;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    calls.push(envelope);
  };
  return { calls, started, handle };
}
