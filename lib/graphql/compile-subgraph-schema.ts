/**
 * Build time only (`npm run codegen`, tests): compiles a subgraph's SDL with @apollo/federation-internals, exactly as
 * `buildSubgraphSchema` does at the start of its work. Services load the result (subgraph-schema.ts) and never
 * this module, so the federation library stays out of their bundles.
 */
import { buildSubgraph, FEDERATION_UNNAMED_SUBGRAPH_NAME, printSchema as printSubgraphSchema } from '@apollo/federation-internals';
import { parse } from 'graphql';
import type { CompiledSubgraphSchema } from './subgraph-schema';

/** buildSubgraphSchema's federation step (@apollo/subgraph 2.x, buildSubgraphSchema.ts), kept as its printed SDL. */
export function compileSubgraphSchema(typeDefs: string): CompiledSubgraphSchema {
  // Root types are not renamed, as buildSubgraphSchema does not rename them.
  const subgraph = buildSubgraph(FEDERATION_UNNAMED_SUBGRAPH_NAME, '', parse(typeDefs), false);
  return { sdl: printSubgraphSchema(subgraph.schema) };
}
