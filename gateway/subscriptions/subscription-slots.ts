import type { ExecutionResult } from 'graphql';
import { RateLimitedError } from '../../lib/ddd';

export interface SubscriptionSlotLimits {
  /** Subscriptions one caller (JWT `sub`) may hold at once on this instance, over graphql-ws and multipart together. */
  readonly perCaller: number;
  /** Subscriptions one client address may hold at once on this instance, whoever its callers are. */
  readonly perAddress: number;
}

/** How long a refused client is told to wait: a slot frees only when one of its subscriptions ends. */
const RETRY_AFTER_SECONDS = 30;

/**
 * The subscriptions each caller and each address hold right now, over both transports: one more than its limit is
 * RATE_LIMITED, and a slot is given back when the subscription ends however it ends (the client completes or leaves,
 * the token expires, the server stops). Counted in this process, so behind N gateway instances a caller may hold up
 * to N times the limit; the count can never leak, since it lives and dies with the subscriptions it counts.
 */
export class SubscriptionSlots {
  private readonly byCaller = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly limits: SubscriptionSlotLimits,
    private readonly onRejected: (limit: 'subscriptionsPerCaller' | 'subscriptionsPerAddress') => void = () => undefined,
  ) {}

  /** A slot for `caller` at `address`: the function that gives it back (once), or the refusal. */
  acquire(caller: string, address: string): (() => void) | RateLimitedError {
    if ((this.byCaller.get(caller) ?? 0) >= this.limits.perCaller) {
      this.onRejected('subscriptionsPerCaller');
      return new RateLimitedError(`at most ${this.limits.perCaller} subscriptions at a time per caller; end one first`, RETRY_AFTER_SECONDS);
    }
    if ((this.byAddress.get(address) ?? 0) >= this.limits.perAddress) {
      this.onRejected('subscriptionsPerAddress');
      return new RateLimitedError(`at most ${this.limits.perAddress} subscriptions at a time per address; end one first`, RETRY_AFTER_SECONDS);
    }
    increment(this.byCaller, caller, 1);
    increment(this.byAddress, address, 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      increment(this.byCaller, caller, -1);
      increment(this.byAddress, address, -1);
    };
  }
}

/** No limits (RATE_LIMIT=off): every subscription gets a slot. */
export const UNLIMITED_SLOTS = new SubscriptionSlots({ perCaller: Number.POSITIVE_INFINITY, perAddress: Number.POSITIVE_INFINITY });

function increment(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}

/**
 * The subscription's result holding its slot: a refusal at subscribe time gives it back at once; a stream gives it
 * back when it ends, also when it is returned before its first value was asked for (graphql-ws returns the iterators
 * of a socket that closes while they are being set up), which an async generator wrapper would not do.
 */
export function holdingSlot<T>(result: AsyncIterableIterator<T> | ExecutionResult, giveBack: () => void): AsyncGenerator<T> | ExecutionResult {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    giveBack();
  };
  if (!(Symbol.asyncIterator in result)) {
    release();
    return result;
  }
  const inner = result;
  const settled = (step: IteratorResult<T>): IteratorResult<T> => {
    if (step.done) release();
    return step;
  };
  const iterator: AsyncGenerator<T> = {
    next: () =>
      inner.next().then(settled, (error: unknown) => {
        release();
        throw error;
      }),
    return: (value?: unknown) => {
      release();
      return inner.return ? inner.return(value) : Promise.resolve({ done: true, value: value as T });
    },
    throw: (error?: unknown) => {
      release();
      return inner.throw ? inner.throw(error) : Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    [Symbol.asyncDispose]: async () => {
      await iterator.return(undefined);
    },
  };
  return iterator;
}
