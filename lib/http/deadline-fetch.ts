import { currentDeadline } from '../logging';

type FetchLike = (url: string, init?: { signal?: unknown }) => Promise<unknown>;

/**
 * Gives every fetch made while serving a request that request's deadline as its abort signal (unless the caller
 * passed one): a hung downstream service then costs no more than the client's time budget, and closing the
 * connection tells it that nobody waits for the answer any more (it abandons its own work, service-app.ts).
 */
export function withRequestDeadline<F extends FetchLike>(base: F): F {
  const wrapped = (url: string, init: Parameters<F>[1] = {}) => {
    const deadline = currentDeadline();
    if (!deadline || init?.signal) return base(url, init);
    return base(url, { ...init, signal: deadline.signal });
  };
  return wrapped as F;
}
