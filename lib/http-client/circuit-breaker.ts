import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import type { Dispatcher } from 'undici';
import type { Logger } from '../logging';
import { CircuitOpenError, failureCodeOf } from './errors';
import { DetachedController, ForwardingHandler } from './forwarding-handler';
import { counterOn, gaugeOn, type ClientMetricsTarget } from './metrics';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface CircuitBreakerOptions extends ClientMetricsTarget {
  /** Consecutive failed exchanges that open the circuit. */
  readonly threshold: number;
  /** How long the circuit stays open before one probe exchange is let through (half-open). */
  readonly halfOpenAfterMs: number;
  readonly logger?: Logger;
}

export interface CircuitBreaker {
  /** Place below the cache interceptor, so stored responses are still served while the circuit is open. */
  readonly interceptor: Dispatcher.DispatcherComposeInterceptor;
  readonly state: BreakerState;
  readonly policy: CircuitBreakerPolicy;
}

const STATES: readonly BreakerState[] = ['closed', 'open', 'half-open', 'isolated'];

function stateName(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Isolated:
      return 'isolated';
  }
}

/** What counts against the origin: it failed to answer, or answered that it cannot serve (5xx, 429). */
export function isOriginFailureStatus(statusCode: number): boolean {
  return statusCode >= 500 || statusCode === 429;
}

interface ExchangeOutcome {
  readonly statusCode: number;
}

/**
 * A circuit breaker (cockatiel) around the origin: after `threshold` consecutive failed exchanges it opens and
 * every exchange fails at once with CircuitOpenError instead of waiting for a timeout; after `halfOpenAfterMs`
 * one probe goes through and its outcome closes or re-opens the circuit. One breaker call is one origin exchange
 * as seen from above the retry interceptor, so a lookup that failed all its attempts counts once.
 * Exported metrics: `http_client_circuit_state{client,state}` (1 for the current state) and
 * `http_client_circuit_transitions_total{client,to}`.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { registry, client, logger } = options;
  const policy = circuitBreaker(
    handleAll.orWhenResult((result) => isOriginFailureStatus((result as ExchangeOutcome).statusCode)),
    { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.threshold) },
  );

  const stateGauge = gaugeOn(registry, 'http_client_circuit_state', 'Circuit breaker state per client: 1 for the current state, 0 for the others', ['client', 'state']);
  const transitions = counterOn(registry, 'http_client_circuit_transitions_total', 'Circuit breaker state changes per client, by the state entered', ['client', 'to']);
  const showState = (current: BreakerState) => {
    for (const state of STATES) stateGauge.set({ client, state }, state === current ? 1 : 0);
  };
  showState('closed');
  policy.onStateChange((state) => {
    const name = stateName(state);
    showState(name);
    transitions.inc({ client, to: name });
    const lastFailure = policy.lastFailure;
    const cause = lastFailure && 'error' in lastFailure ? failureCodeOf(lastFailure.error) : lastFailure && 'value' in lastFailure ? `status ${(lastFailure.value as ExchangeOutcome).statusCode}` : undefined;
    // The message is matched by the deployment's log metric filter for the "breaker open" alarm (infra/).
    if (name === 'open') logger?.warn({ client, cause, state: name }, 'circuit breaker opened');
    else logger?.info({ client, state: name }, 'circuit state changed');
  });

  const interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    const call = new BreakerCallHandler(handler);
    policy.execute(() => call.run(dispatch, opts)).catch((error: unknown) => {
      // Failures of the exchange itself already reached the handler; only the breaker's own refusal is new.
      if (error instanceof BrokenCircuitError) call.refuse(new CircuitOpenError());
    });
    return true;
  };

  return {
    interceptor,
    get state() {
      return stateName(policy.state);
    },
    policy,
  };
}

/** Forwards one exchange and settles the breaker call when it ends: with its status, or with its error. */
class BreakerCallHandler extends ForwardingHandler {
  #statusCode = 0;
  #settle: ((outcome: ExchangeOutcome) => void) | undefined;
  #fail: ((error: Error) => void) | undefined;

  run(dispatch: Dispatcher.Dispatch, opts: Dispatcher.DispatchOptions): Promise<ExchangeOutcome> {
    return new Promise<ExchangeOutcome>((resolve, reject) => {
      this.#settle = resolve;
      this.#fail = reject;
      try {
        dispatch(opts, this);
      } catch (error) {
        this.onResponseError(new DetachedController(), error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  refuse(error: CircuitOpenError): void {
    const controller = new DetachedController();
    this.next.onRequestStart?.(controller, {});
    this.next.onResponseError?.(controller, error);
  }

  override onResponseStart(controller: Controller, statusCode: number, headers: Headers, statusMessage?: string): void {
    this.#statusCode = statusCode;
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseEnd(controller: Controller, trailers: Headers): void {
    try {
      super.onResponseEnd(controller, trailers);
    } finally {
      this.#settle?.({ statusCode: this.#statusCode });
    }
  }

  override onResponseError(controller: Controller, error: Error): void {
    try {
      super.onResponseError(controller, error);
    } finally {
      this.#fail?.(error);
    }
  }
}
