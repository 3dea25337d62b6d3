import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestDeadline } from '../../lib/logging';
import type { Admission, Caller } from '../edge/admission';

/** What the edge left on a request for the steps after it: the caller and, when admitted, the measured document. */
export type HttpAdmission = Extract<Admission, { ok: true }> | { readonly caller: Caller; readonly ok: false };

/**
 * One request to /graphql as the pipeline's steps see it (gateway/http/graphql-route.ts): the request and response,
 * its correlation id, deadline and client address, and what earlier steps learned about it.
 */
export interface GraphQLExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly correlationId: string;
  /** REQUEST_TIMEOUT_MS for this request: subgraph fetches are aborted with it (lib/logging/request-deadline.ts). */
  readonly deadline: RequestDeadline;
  /** The client's address (X-Forwarded-For only from trusted proxies). */
  readonly address: string;
  /** The caller identified before the body was read (gateway/http/identify-step.ts). */
  caller?: Caller;
  /** The parsed JSON body of a POST; a step may replace it (the edge hands on a persisted document as text). */
  body: unknown;
  /** The request target (path and query string); a step may replace it, as the body. */
  url: string;
  /** What the edge admitted (gateway/http/admit-step.ts). */
  admission?: HttpAdmission;
}

/**
 * One step of the /graphql pipeline: it answers the request itself and returns true (the pipeline stops there), or
 * returns false to hand it to the next step. The last step always answers.
 */
export type HttpStep = (exchange: GraphQLExchange) => boolean | Promise<boolean>;
