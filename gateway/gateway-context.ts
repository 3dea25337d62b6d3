import type { BaseSubgraphContext } from '../lib/graphql';

/** Per-request context of the gateway: who calls, and the correlation id passed on to subgraphs. */
export type GatewayContext = BaseSubgraphContext;
