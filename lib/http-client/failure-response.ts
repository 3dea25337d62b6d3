import type { Dispatcher } from 'undici';
import { failureCodeOf } from './errors';
import { DetachedController, ForwardingHandler } from './forwarding-handler';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;

/** Names why the origin could not be reached (ECONNREFUSED, HTTP_CLIENT_CIRCUIT_OPEN...) on a synthesised 503. */
export const ORIGIN_FAILURE_HEADER = 'x-origin-failure';

/**
 * Answers a failed origin exchange (connection error, deadline, open circuit) with a `503 Service Unavailable`
 * instead of an error, the way a gateway reports an unreachable upstream (RFC 9110 15.6.4).
 *
 * Why: undici's cache serves a stored response under `stale-if-error` only when the revalidation *answers* 500-504
 * (CacheRevalidationHandler: `allowErrorStatusCodes && statusCode >= 500 && statusCode <= 504`); a thrown network
 * error bypasses it. RFC 5861 section 4 defines the error case as "any situation that would result in a 500, 502,
 * 503, or 504 HTTP response status code", so mapping transport failures to 503 below the cache makes
 * stale-if-error cover a refusing, hung or circuit-broken origin too. The response carries no Cache-Control, so
 * the cache neither stores it nor drops the entry it has (CacheHandler only deletes on no-store/private).
 * Aborts requested by the caller stay errors.
 */
export function failuresAsServiceUnavailable(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => dispatch(opts, new FailureResponder(handler));
}

class FailureResponder extends ForwardingHandler {
  #started = false;
  #responded = false;
  #callerAborted = false;

  override onRequestStart(controller: Controller, context: unknown): void {
    this.#started = true;
    super.onRequestStart(new CallerAbortObserver(controller, () => (this.#callerAborted = true)), context);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Headers, statusMessage?: string): void {
    this.#responded = true;
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseError(controller: Controller, error: Error): void {
    // Once a response is under way its status cannot change; and a caller that aborted wants its error back.
    if (this.#responded || this.#callerAborted) {
      super.onResponseError(controller, error);
      return;
    }
    const code = failureCodeOf(error);
    const body = Buffer.from(JSON.stringify({ error: { code, message: 'the origin could not be reached' } }));
    const synthetic = new DetachedController();
    if (!this.#started) this.next.onRequestStart?.(synthetic, {});
    this.#responded = true;
    this.next.onResponseStart?.(
      synthetic,
      503,
      { 'content-type': 'application/json', 'content-length': String(body.length), [ORIGIN_FAILURE_HEADER]: code },
      'Service Unavailable',
    );
    this.next.onResponseData?.(synthetic, body);
    this.next.onResponseEnd?.(synthetic, {});
  }
}

/** Passes a controller upstream unchanged, noting whether the caller asked for the abort. */
class CallerAbortObserver implements Dispatcher.DispatchController {
  constructor(
    private readonly inner: Controller,
    private readonly onAbort: () => void,
  ) {}

  get aborted(): boolean {
    return this.inner.aborted;
  }
  get paused(): boolean {
    return this.inner.paused;
  }
  get reason(): Error | null {
    return this.inner.reason;
  }
  get rawHeaders(): Controller['rawHeaders'] {
    return this.inner.rawHeaders;
  }
  set rawHeaders(value: Controller['rawHeaders']) {
    this.inner.rawHeaders = value;
  }
  get rawTrailers(): Controller['rawTrailers'] {
    return this.inner.rawTrailers;
  }
  set rawTrailers(value: Controller['rawTrailers']) {
    this.inner.rawTrailers = value;
  }
  abort(reason: Error): void {
    this.onAbort();
    this.inner.abort(reason);
  }
  pause(): void {
    this.inner.pause();
  }
  resume(): void {
    this.inner.resume();
  }
}
