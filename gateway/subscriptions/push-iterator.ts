/**
 * An async iterator fed by pushes: what graphql-js `subscribe` consumes as the event stream. `return()` (called
 * by graphql-ws on `complete` or disconnect, and by the multipart handler when the client goes away) runs
 * `onReturn` exactly once, which is where the feed listener is released.
 */
export function pushIterator<T>(onReturn: () => Promise<void>, maxQueued = 1000): {
  iterator: AsyncIterableIterator<T>;
  push(value: T): void;
} {
  const queue: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let done = false;
  let released: Promise<void> | undefined;

  const finish = async (): Promise<IteratorResult<T>> => {
    done = true;
    queue.length = 0;
    for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    released ??= onReturn();
    await released;
    return { value: undefined, done: true };
  };

  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift() as T, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };

  return {
    iterator,
    push(value) {
      if (done) return;
      const resolve = waiting.shift();
      if (resolve) resolve({ value, done: false });
      else if (queue.length < maxQueued) queue.push(value);
      // A consumer that far behind is not reading; dropping is better than growing without bound.
    },
  };
}
