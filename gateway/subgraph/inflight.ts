/**
 * Identical work in flight at once is done once: callers of `run` with the same key while the first is pending
 * share its promise. The entry goes when the work settles, so a later call starts afresh (never a cache).
 */
export class Inflight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  run(key: string, start: () => Promise<T>): { readonly promise: Promise<T>; readonly shared: boolean } {
    const existing = this.pending.get(key);
    if (existing) return { promise: existing, shared: true };
    const promise = start();
    this.pending.set(key, promise);
    const forget = () => {
      if (this.pending.get(key) === promise) this.pending.delete(key);
    };
    promise.then(forget, forget);
    return { promise, shared: false };
  }

  /** Keys in flight right now. */
  size(): number {
    return this.pending.size;
  }
}
