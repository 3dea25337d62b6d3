import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import {
  execute,
  isIntrospectionType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  Kind,
  parse,
  print,
  printSchema,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { compileSubgraphSchema } from './compile-subgraph-schema';
import { subgraphSchema } from './subgraph-schema';

/**
 * Services build their subgraph schema from what codegen compiled (subgraph-schema.ts), not with
 * buildSubgraphSchema: the result must be the very schema buildSubgraphSchema returns, for every subgraph of the
 * repository (same types, same AST nodes with their applied directives, same `_service` and `_entities`).
 */

const SCHEMA_DIR = resolve(__dirname, '../../schema');
const subgraphs = readdirSync(SCHEMA_DIR)
  .filter((file) => file.endsWith('.graphql') && file !== 'supergraph.graphql')
  .map((file) => [file.replace('.graphql', ''), readFileSync(resolve(SCHEMA_DIR, file), 'utf8')] as const);

/** The definitions a schema was built from, its types' and directives' included: where applied directives live. */
function schemaDocument(schema: GraphQLSchema): DocumentNode {
  const nodes: (DefinitionNode | null | undefined)[] = [schema.astNode, ...schema.extensionASTNodes];
  for (const directive of schema.getDirectives()) if (!isSpecifiedDirective(directive)) nodes.push(directive.astNode);
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    nodes.push(type.astNode, ...type.extensionASTNodes);
  }
  return { kind: Kind.DOCUMENT, definitions: nodes.filter((node): node is DefinitionNode => node != null) };
}

const both = (typeDefs: string, resolvers: GraphQLResolverMap<unknown> = {}): [GraphQLSchema, GraphQLSchema] => [
  subgraphSchema(compileSubgraphSchema(typeDefs), resolvers),
  buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }),
];

const run = async (schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}) =>
  JSON.parse(JSON.stringify(await execute({ schema, document: parse(query), variableValues: variables, contextValue: {} }))) as unknown;

describe('a compiled subgraph schema', () => {
  it('covers every subgraph of the repository', () => {
    expect(subgraphs.map(([name]) => name).sort()).toEqual(['catalog', 'orders', 'payments', 'rewards', 'shipping']);
  });

  it.each(subgraphs)('is the schema buildSubgraphSchema builds for %s, AST nodes and _service included', async (_name, typeDefs) => {
    const [compiled, reference] = both(typeDefs);
    expect(printSchema(compiled)).toBe(printSchema(reference));
    expect(print(schemaDocument(compiled))).toBe(print(schemaDocument(reference)));
    expect(print(schemaDocument(compiled))).toContain('@key');
    const service = await run(compiled, '{ _service { sdl } }');
    expect(service).toEqual(await run(reference, '{ _service { sdl } }'));
    expect((service as { data: { _service: { sdl: string } } }).data._service.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
  });

  it('resolves entities through __resolveReference, typed by their __typename, as buildSubgraphSchema does', async () => {
    const typeDefs = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { product(id: ID!): Product }
      type Product @key(fields: "id") { id: ID! name: String! }
      type Shelf @key(fields: "code") { code: String! size: Int! }
    `;
    const resolvers = {
      Product: { __resolveReference: (ref: { id: string }) => (ref.id === 'missing' ? null : { id: ref.id, name: `product ${ref.id}` }) },
      Shelf: { __resolveReference: async (ref: { code: string }) => ({ code: ref.code, size: ref.code.length }) },
    } as unknown as GraphQLResolverMap<unknown>;
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { id name } ... on Shelf { code size } } }`;
    const variables = { r: [{ __typename: 'Product', id: 'p-1' }, { __typename: 'Shelf', code: 'abc' }, { __typename: 'Product', id: 'missing' }] };
    const [compiled, reference] = both(typeDefs, resolvers);
    const answer = await run(compiled, query, variables);
    expect(answer).toEqual({
      data: { _entities: [{ __typename: 'Product', id: 'p-1', name: 'product p-1' }, { __typename: 'Shelf', code: 'abc', size: 3 }, null] },
    });
    expect(answer).toEqual(await run(reference, query, variables));
    const unknownType = { r: [{ __typename: 'Nothing', id: '1' }] };
    expect(await run(compiled, query, unknownType)).toEqual(await run(reference, query, unknownType));
  });
});
