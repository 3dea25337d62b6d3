import type { BaseSubgraphContext } from '../lib/graphql';
import type { RequestDeadline } from '../lib/logging';

/**
 * Per-request context of the gateway: who calls (and from which address, for the per-address limits), the
 * correlation id passed on to subgraphs, and the request's deadline, which aborts its subgraph fetches when it
 * passes or the client goes away (absent for the gateway's own operations, such as subscription payloads).
 */
export type GatewayContext = BaseSubgraphContext & {
  readonly deadline?: RequestDeadline | undefined;
  readonly address?: string | undefined;
  /**
   * Every read of this operation must begin after the operation did: it joins no identical one already in flight
   * (inbound or subgraph dedupe) and is answered from no cache. Sharing is right for requests that merely overlap,
   * but not for a read that must see everything after a point in time: a subscription's access check, which reads
   * the order after its watch began so that no change can fall between the two.
   */
  readonly fresh?: boolean | undefined;
};
