import type { Express } from 'express';
import type { Registry } from 'prom-client';
import type { Caller } from '../auth';
import type { BaseSubgraphContext } from '../graphql/subgraph-server';
import type { CompiledSubgraphSchema } from '../graphql/subgraph-schema';
import type { Logger } from '../logging';

export interface BaseRequestContext {
  readonly caller: Caller;
  readonly correlationId: string;
  readonly logger: Logger;
}

/** A subgraph as both its HTTP server and its Lambda handler serve it. */
export interface SubgraphServiceSpec<TContext extends BaseSubgraphContext> {
  readonly name: string;
  readonly tableName: string;
  readonly registry: Registry;
  /** The compiled subgraph schema (graphql/__generated__/subgraph-schema.ts). */
  readonly schema: CompiledSubgraphSchema;
  readonly resolvers: object;
  /** Builds the per-request context from the verified caller (new loaders every request). */
  readonly context: (base: BaseRequestContext) => TContext;
  /** Routes besides /graphql, /health and /metrics (Catalog's REST API). */
  readonly routes?: (app: Express) => void;
}
