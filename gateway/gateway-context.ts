import type { BaseSubgraphContext } from '../lib/graphql';
import type { RequestDeadline } from '../lib/logging';

/**
 * Per-request context of the gateway: who calls (and from which address, for the per-address limits), the
 * correlation id passed on to subgraphs, and the request's deadline, which aborts its subgraph fetches when it
 * passes or the client goes away (absent for the gateway's own operations, such as subscription payloads).
 */
export type GatewayContext = BaseSubgraphContext & { readonly deadline?: RequestDeadline | undefined; readonly address?: string | undefined };
