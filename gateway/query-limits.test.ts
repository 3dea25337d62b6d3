import { describe, expect, it } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { Kind, buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { measureOperation, queryLimitsPlugin } from './query-limits';

const schema = buildSchema(`
  type Query {
    product(id: ID!): Product
    products(category: String, first: Int = 20, after: String): ProductConnection!
  }
  type Mutation { createProduct(name: String!): Product! }
  type ProductConnection { edges: [ProductEdge!]! pageInfo: PageInfo! }
  type ProductEdge { cursor: String! node: Product! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Product { id: ID! name: String! price: Money! related(first: Int = 5): ProductConnection! }
  type Money { amount: Int! currency: String! }
`);

function measure(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return measureOperation(schema, operation, fragments, variables);
}

describe('measureOperation', () => {
  it('counts each field once and the depth of the deepest field', () => {
    expect(measure('{ product(id: "1") { id name } }')).toEqual({ depth: 2, cost: 3 });
    expect(measure('{ product(id: "1") { price { amount currency } } }')).toEqual({ depth: 3, cost: 4 });
    expect(measure('mutation { createProduct(name: "x") { id } }')).toEqual({ depth: 2, cost: 2 });
  });

  it('multiplies what a connection selects by its page size', () => {
    // node = 1 + id; edges = 1 + node; products = 1 + first x edges
    expect(measure('{ products(first: 10) { edges { node { id } } } }')).toEqual({ depth: 4, cost: 31 });
    expect(measure('query($n: Int) { products(first: $n) { edges { node { id } } } }', { n: 50 })).toEqual({ depth: 4, cost: 151 });
  });

  it("uses the argument's default page size when none is given", () => {
    expect(measure('{ products { edges { node { id } } } }').cost).toBe(61);
    expect(measure('{ products(first: null) { edges { node { id } } } }').cost).toBe(61);
    expect(measure('query($n: Int) { products(first: $n) { edges { node { id } } } }').cost).toBe(61);
  });

  it("uses the operation's default value of a variable the request leaves out", () => {
    expect(measure('query($n: Int = 100) { products(first: $n) { edges { node { id } } } }').cost).toBe(301);
    expect(measure('query($n: Int = 100) { products(first: $n) { edges { node { id } } } }', { n: 2 }).cost).toBe(7);
  });

  it('multiplies nested connections', () => {
    // related = 1 + 5 x 3; node = 1 + related + ...; products = 1 + 10 x (1 + node)
    expect(measure('{ products(first: 10) { edges { node { related(first: 5) { edges { node { id } } } } } } }')).toEqual({ depth: 7, cost: 181 });
  });

  it('counts fragments like the fields they stand for', () => {
    expect(measure('{ product(id: "1") { ...F } } fragment F on Product { id name }')).toEqual({ depth: 2, cost: 3 });
    expect(measure('{ product(id: "1") { ... on Product { id name } } }')).toEqual({ depth: 2, cost: 3 });
    expect(measure('{ products(first: 10) { ...C } } fragment C on ProductConnection { edges { node { id } } }')).toEqual({ depth: 4, cost: 31 });
  });

  it('lets introspection cost nothing', () => {
    expect(measure('{ __schema { types { name fields { name type { name ofType { name } } } } } __typename }')).toEqual({ depth: 1, cost: 0 });
  });
});

describe('queryLimitsPlugin', () => {
  const server = new ApolloServer({ schema, plugins: [queryLimitsPlugin({ maxDepth: 3, maxCost: 50 })] });

  async function run(query: string, variables: Record<string, unknown> = {}) {
    const response = await server.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, errors: response.body.singleResult.errors };
  }

  it('refuses a query deeper than the limit with QUERY_TOO_COMPLEX and HTTP 400', async () => {
    const result = await run('{ products(first: 1) { edges { node { id } } } }');
    expect(result.status).toBe(400);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toBe('query depth 4 exceeds the limit of 3');
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', depth: 4, maxDepth: 3 });
  });

  it('refuses a query costlier than the limit', async () => {
    const result = await run('query($n: Int) { a: products(first: $n) { pageInfo { hasNextPage } } b: products(first: $n) { pageInfo { hasNextPage } } }', { n: 20 });
    expect(result.status).toBe(400);
    expect(result.errors![0]!.message).toBe('query cost 82 exceeds the limit of 50; ask for smaller pages (first)');
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 82, maxCost: 50 });
  });

  it('runs a query within the limits', async () => {
    const result = await run('{ product(id: "1") { price { amount } } }');
    expect(result.errors).toBeUndefined();
  });
});
