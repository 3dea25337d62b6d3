import type { Dispatcher } from 'undici';
import { ForwardingHandler } from './forwarding-handler';
import { histogramOn, type ClientMetricsTarget } from './metrics';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Starts timing one request on the wire; call the result with its status ("error" when no response came) once
 * the last body byte arrived. Observes `http_client_origin_request_duration_seconds{client,method,status}`.
 */
export type OriginRequestTimer = (method: string) => (status: string) => void;

export function originRequestTimer(target: ClientMetricsTarget): OriginRequestTimer {
  const duration = histogramOn(
    target.registry,
    'http_client_origin_request_duration_seconds',
    'Requests sent to the origin (each retry attempt counts), by method and status, from dispatch to the last body byte',
    ['client', 'method', 'status'],
    BUCKETS,
  );
  return (method) => {
    const started = process.hrtime.bigint();
    return (status) => duration.observe({ client: target.client, method, status }, Number(process.hrtime.bigint() - started) / 1e9);
  };
}

/**
 * Times every request that goes on the wire, from dispatch to the last body byte (originRequestTimer). Placed
 * innermost, below the retry interceptor, so each attempt is one observation: the histogram's count is the number
 * of requests the client tried to send, those refused at connect time included (status "error").
 */
export function timeOriginRequests(target: ClientMetricsTarget): Dispatcher.DispatcherComposeInterceptor {
  const timer = originRequestTimer(target);
  return (dispatch) => (opts, handler) => dispatch(opts, new TimedHandler(handler, timer(opts.method)));
}

class TimedHandler extends ForwardingHandler {
  #status = 'error';
  #observed = false;

  constructor(
    next: Dispatcher.DispatchHandler,
    private readonly observe: (status: string) => void,
  ) {
    super(next);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Headers, statusMessage?: string): void {
    this.#status = String(statusCode);
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseEnd(controller: Controller, trailers: Headers): void {
    this.#once(this.#status);
    super.onResponseEnd(controller, trailers);
  }

  override onResponseError(controller: Controller, error: Error): void {
    this.#once('error');
    super.onResponseError(controller, error);
  }

  #once(status: string): void {
    if (this.#observed) return;
    this.#observed = true;
    this.observe(status);
  }
}
