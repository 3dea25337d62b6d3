import { describe, expect, it } from '@jest/globals';
import { pushIterator } from './push-iterator';

/** The event stream graphql-js `subscribe` reads: pushes in, `next()` out, one release on `return()`. */
describe('pushIterator', () => {
  it('hands out pushed values in push order, queued or awaited', async () => {
    const { iterator, push } = pushIterator<number>(async () => undefined);
    push(1);
    push(2);
    const waiting = [iterator.next(), iterator.next(), iterator.next()];
    push(3);
    expect(await Promise.all(waiting)).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
      { value: 3, done: false },
    ]);
    const later = iterator.next();
    push(4);
    expect(await later).toEqual({ value: 4, done: false });
  });

  it('resolves a waiting next() with done when returned, and ignores pushes afterwards', async () => {
    let releases = 0;
    const { iterator, push } = pushIterator<string>(async () => void (releases += 1));
    const waiting = iterator.next();
    expect(await iterator.return!()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    push('late');
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(releases).toBe(1);
  });

  it('drops what was queued when returned', async () => {
    const { iterator, push } = pushIterator<number>(async () => undefined);
    push(1);
    push(2);
    await iterator.return!();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('releases exactly once however often and however concurrently it is returned', async () => {
    let releases = 0;
    let finishRelease: () => void = () => undefined;
    const { iterator } = pushIterator<number>(
      () =>
        new Promise<void>((resolve) => {
          releases += 1;
          finishRelease = resolve;
        }),
    );
    const first = iterator.return!();
    const second = iterator.return!();
    let settled = 0;
    void first.then(() => (settled += 1));
    void second.then(() => (settled += 1));
    await new Promise((resolve) => setImmediate(resolve));
    // Both wait for the one release to finish: a caller that awaits return() knows the listener is gone.
    expect(settled).toBe(0);
    finishRelease();
    expect(await Promise.all([first, second])).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    await iterator.return!();
    expect(releases).toBe(1);
  });

  it('releases and rethrows on throw()', async () => {
    let releases = 0;
    const { iterator, push } = pushIterator<number>(async () => void (releases += 1));
    const failure = new Error('consumer failed');
    await expect(iterator.throw!(failure)).rejects.toBe(failure);
    expect(releases).toBe(1);
    push(1);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('keeps at most maxQueued values for a consumer that is not reading, the oldest first', async () => {
    const { iterator, push } = pushIterator<number>(async () => undefined, 3);
    for (let i = 1; i <= 5; i += 1) push(i);
    expect([await iterator.next(), await iterator.next(), await iterator.next()].map((r) => r.value)).toEqual([1, 2, 3]);
    const next = iterator.next();
    push(6);
    expect(await next).toEqual({ value: 6, done: false });
  });

  it('is its own async iterator, so for-await consumes it until returned', async () => {
    const { iterator, push } = pushIterator<number>(async () => undefined);
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
    push(1);
    push(2);
    const seen: number[] = [];
    for await (const value of iterator) {
      seen.push(value);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
