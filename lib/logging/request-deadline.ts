import { ServiceUnavailableError } from '../ddd';

/**
 * The time budget of one request (REQUEST_TIMEOUT_MS), carried in the request context so that every call made on
 * the request's behalf can see it without threading it through signatures: the DynamoDB client passes its
 * `signal` to each HTTP request (lib/dynamodb/client.ts) and refuses to start a write after it expired, the
 * gateway aborts its subgraph fetches with it. It also aborts when the client goes away, so work nobody waits
 * for any more is not carried on and committed later (issue 9: "abandoned work is not committed late").
 */
export class RequestDeadline {
  readonly expiresAt: number;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly timeoutMs: number,
    now: number = Date.now(),
  ) {
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`);
    this.expiresAt = now + timeoutMs;
    this.#timer = setTimeout(
      () => this.#abort(new ServiceUnavailableError(`the request did not complete within its ${timeoutMs} ms deadline; a dependency is slow or unavailable, try again`, { timeoutMs })),
      timeoutMs,
    );
    // A deadline never keeps a process alive on its own.
    this.#timer.unref();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get expired(): boolean {
    return this.#controller.signal.aborted;
  }

  remainingMs(now: number = Date.now()): number {
    return Math.max(0, this.expiresAt - now);
  }

  /** Why the request stopped: the ServiceUnavailableError its signal was aborted with, or undefined while it runs. */
  get reason(): ServiceUnavailableError | undefined {
    return this.expired ? (this.#controller.signal.reason as ServiceUnavailableError) : undefined;
  }

  /** The caller gave up (closed the connection): stop what is still running for it. */
  abandon(why: string): void {
    this.#abort(new ServiceUnavailableError(`the request was abandoned: ${why}`));
  }

  /** Throws the reason once expired; called before starting work that must not begin late (a transactional write). */
  throwIfExpired(): void {
    const reason = this.reason;
    if (reason) throw reason;
  }

  /** The request is answered: release the timer. */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  #abort(reason: ServiceUnavailableError): void {
    clearTimeout(this.#timer);
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }
}
