import type { Dispatcher } from 'undici';
import { DeadlineExceededError } from './errors';
import { DetachedController, ForwardingHandler } from './forwarding-handler';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;

/**
 * One time budget for a whole origin exchange, every retry attempt and backoff pause included: placed above the
 * retry interceptor, a lookup against a hung or refusing origin fails within `timeoutMs`, never later. (undici's
 * headersTimeout/bodyTimeout are per attempt and default to 300 s.) On expiry the attempt in flight is aborted,
 * the failure is reported upstream at once, and an attempt the retry handler starts afterwards is aborted as soon
 * as it begins.
 */
export function deadline(timeoutMs: number): Dispatcher.DispatcherComposeInterceptor {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`);
  return (dispatch) => (opts, handler) => {
    const guarded = new DeadlineHandler(handler, timeoutMs);
    try {
      return dispatch(opts, guarded);
    } catch (error) {
      guarded.settle();
      throw error;
    }
  };
}

class DeadlineHandler extends ForwardingHandler {
  #controller: Controller | undefined;
  #started = false;
  #settled = false;
  #expired: DeadlineExceededError | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(next: Dispatcher.DispatchHandler, timeoutMs: number) {
    super(next);
    this.#timer = setTimeout(() => this.#expire(timeoutMs), timeoutMs);
  }

  settle(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
  }

  override onRequestStart(controller: Controller, context: unknown): void {
    this.#controller = controller;
    if (this.#expired) {
      controller.abort(this.#expired);
      return;
    }
    this.#started = true;
    super.onRequestStart(controller, context);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Headers, statusMessage?: string): void {
    if (this.#expired) return;
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.#expired) return;
    super.onResponseData(controller, chunk);
  }

  override onResponseEnd(controller: Controller, trailers: Headers): void {
    if (this.#expired) return;
    this.settle();
    super.onResponseEnd(controller, trailers);
  }

  override onResponseError(controller: Controller, error: Error): void {
    if (this.#expired) return;
    this.settle();
    super.onResponseError(controller, error);
  }

  #expire(timeoutMs: number): void {
    if (this.#settled) return;
    this.settle();
    const error = new DeadlineExceededError(timeoutMs);
    this.#expired = error;
    this.#controller?.abort(error);
    const controller = this.#controller ?? new DetachedController();
    try {
      // The request may still sit in the pool's queue: upstream handlers expect a start before an error.
      if (!this.#started) this.next.onRequestStart?.(controller, {});
      this.next.onResponseError?.(controller, error);
    } catch {
      // A timer callback has no caller to report to; the handler above has been told all it can be told.
    }
  }
}
