import { describe, expect, it } from '@jest/globals';
import { RateLimitedError } from '../../lib/ddd';
import { pushIterator } from './push-iterator';
import { holdingSlot, SubscriptionSlots } from './subscription-slots';

describe('SubscriptionSlots', () => {
  it('refuses a caller past its limit and an address past its own, whoever the callers are, until a slot is given back', () => {
    const rejected: string[] = [];
    const slots = new SubscriptionSlots({ perCaller: 2, perAddress: 3 }, (limit) => rejected.push(limit));
    const a1 = slots.acquire('a', '10.0.0.1');
    const a2 = slots.acquire('a', '10.0.0.2');
    const a3 = slots.acquire('a', '10.0.0.3');
    expect(a3).toBeInstanceOf(RateLimitedError);
    expect((a3 as RateLimitedError).message).toBe('at most 2 subscriptions at a time per caller; end one first');
    expect(typeof slots.acquire('b', '10.0.0.1')).toBe('function');
    expect(typeof slots.acquire('c', '10.0.0.1')).toBe('function');
    expect((slots.acquire('d', '10.0.0.1') as RateLimitedError).message).toBe('at most 3 subscriptions at a time per address; end one first');
    expect(rejected).toEqual(['subscriptionsPerCaller', 'subscriptionsPerAddress']);
    (a1 as () => void)();
    (a1 as () => void)();
    expect(typeof slots.acquire('a', '10.0.0.4')).toBe('function');
    expect(slots.acquire('a', '10.0.0.5')).toBeInstanceOf(RateLimitedError);
    (a2 as () => void)();
    expect(typeof slots.acquire('d', '10.0.0.2')).toBe('function');
  });
});

describe('holdingSlot', () => {
  it('gives the slot back at once for a result that is not a stream', () => {
    let released = 0;
    holdingSlot({ errors: [] }, () => (released += 1));
    expect(released).toBe(1);
  });

  it('gives the slot back, once, when the stream is returned, even before it was read, and returns the stream underneath', async () => {
    let released = 0;
    let closed = 0;
    const inner = pushIterator<number>(async () => void (closed += 1));
    const stream = holdingSlot(inner.iterator, () => (released += 1)) as AsyncGenerator<number>;
    await stream.return(undefined);
    await stream.return(undefined);
    expect({ released, closed }).toEqual({ released: 1, closed: 1 });
  });

  it('gives the slot back when the stream ends or fails', async () => {
    let released = 0;
    const done = holdingSlot(
      (async function* () {
        yield 1;
      })(),
      () => (released += 1),
    ) as AsyncGenerator<number>;
    expect(await done.next()).toEqual({ done: false, value: 1 });
    expect(released).toBe(0);
    expect(await done.next()).toEqual({ done: true, value: undefined });
    expect(released).toBe(1);
    const failing = holdingSlot(
      (async function* () {
        yield* [];
        throw new Error('feed gone');
      })(),
      () => (released += 1),
    ) as AsyncGenerator<number>;
    await expect(failing.next()).rejects.toThrow('feed gone');
    expect(released).toBe(2);
  });
});
