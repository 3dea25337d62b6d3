import type { Edge } from '../edge/admission';
import type { HttpStep } from './exchange';
import { sendError } from './send-error';

/**
 * Who calls, before the body is read (gateway/edge/admission.ts `identify`): a bad token, or a caller or address
 * already over its rate budget, is refused here, so a flood of them costs no body reading or JSON parsing at all.
 */
export function identifyStep(edge: Edge): HttpStep {
  return async (exchange) => {
    const identified = await edge.identify(exchange.req.headers.authorization, exchange.address);
    if (identified.ok) {
      exchange.caller = identified.caller;
      return false;
    }
    sendError(exchange.res, identified.error);
    // Answered without reading the body: let it drain, unparsed.
    exchange.req.resume();
    return true;
  };
}
