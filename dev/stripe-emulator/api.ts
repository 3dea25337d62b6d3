import type { EventLog } from './event-log';
import type { Params } from './params';
import type { EmulatorState, RequestInfo } from './state';

/**
 * Who is calling: a secret key (`sk_test_...`, the whole API) or a publishable key (`pk_test_...`, what Stripe.js
 * may do from a browser: retrieve and confirm the one PaymentIntent whose client secret it presents).
 */
export type Caller = { readonly kind: 'secret'; readonly key: string } | { readonly kind: 'publishable'; readonly key: string };

export interface ApiContext {
  readonly params: Params;
  readonly caller: Caller;
  readonly request: RequestInfo;
  /** The object id in the path, for routes that name one. */
  readonly id: string;
  readonly state: EmulatorState;
  readonly events: EventLog;
}

export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
}

export type ApiHandler = (context: ApiContext) => ApiResult;

export const ok = (body: unknown): ApiResult => ({ status: 200, body });
