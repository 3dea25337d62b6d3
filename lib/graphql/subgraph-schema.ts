import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { addResolversToSchema } from '@apollo/subgraph/dist/schema-helper';
import { entitiesResolver } from '@apollo/subgraph/dist/types';
import { buildASTSchema, parse, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';

/**
 * What `buildSubgraphSchema` (@apollo/subgraph) derives from a subgraph's SDL with @apollo/federation-internals,
 * printed: the federation directives and types (`_Any`, `_Entity`, `_Service`), `_entities` and `_service` added,
 * imports resolved. It is both the SDL the subgraph answers `_service { sdl }` with and the document its
 * executable schema is built from (buildSubgraphSchema builds it from that same schema). `npm run codegen` compiles
 * it from schema/<context>.graphql (compile-subgraph-schema.ts) into graphql/__generated__/subgraph-schema.ts.
 */
export interface CompiledSubgraphSchema {
  readonly sdl: string;
}

/**
 * The executable subgraph schema, as `buildSubgraphSchema` builds it, from its compiled form: the federation
 * library (a third of a Lambda bundle, and the largest step of a cold start after loading the code) runs at
 * codegen, not at every start. The resolvers added are buildSubgraphSchema's own (@apollo/subgraph 2.x):
 * `_service`, `_entities` through each type's `__resolveReference`, `_Entity.__resolveType`, then the subgraph's.
 * subgraph-schema.test.ts checks that the result is the schema buildSubgraphSchema returns, for every subgraph.
 */
export function subgraphSchema(compiled: CompiledSubgraphSchema, resolvers: GraphQLResolverMap<unknown>): GraphQLSchema {
  // Validated when it was compiled (buildSubgraph validates the SDL and the federation rules).
  const schema = buildASTSchema(parse(compiled.sdl), { assumeValidSDL: true });
  const queryRoot = schema.getQueryType()?.name;
  if (!queryRoot) throw new Error('a compiled subgraph schema always has a Query root');
  addResolversToSchema(schema, { [queryRoot]: { _service: () => ({ sdl: compiled.sdl }) } });
  if (schema.getType('_Entity')) {
    addResolversToSchema(schema, {
      [queryRoot]: {
        _entities: (_source: unknown, { representations }: { representations: unknown }, context: unknown, info: GraphQLResolveInfo) =>
          entitiesResolver({ representations, context, info }),
      },
      _Entity: { __resolveType: (parent: { __typename: string }) => parent.__typename },
    });
  }
  addResolversToSchema(schema, resolvers);
  return schema;
}
