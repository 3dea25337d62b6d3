import { describe, expect, it } from '@jest/globals';
import { buildSchema, getIntrospectionQuery, getOperationAST, parse } from 'graphql';
import { analyseOperation } from './analyse-operation';
import { OperationGuard } from './operation-guard';
import type { QueryLimits } from './query-limits';
import { variablesSize } from './variables-size';

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

const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const LOOSE: QueryLimits = {
  maxDepth: NO_LIMIT,
  maxCost: NO_LIMIT,
  maxAliases: NO_LIMIT,
  maxTokens: NO_LIMIT,
  maxQueryLength: NO_LIMIT,
  maxDirectives: NO_LIMIT,
  maxRootFields: NO_LIMIT,
  maxDuplicateFields: NO_LIMIT,
  maxVariables: NO_LIMIT,
  maxVariablesBytes: NO_LIMIT,
};

function analyse(source: string, variables: Record<string, unknown> = {}, limits: Partial<QueryLimits> = {}) {
  const document = parse(source);
  return analyseOperation(schema, document, getOperationAST(document) ?? undefined, variables, { ...LOOSE, ...limits });
}

function measure(source: string, variables: Record<string, unknown> = {}) {
  const result = analyse(source, variables);
  if (!result.ok) throw new Error(`unexpectedly over the ${result.limit} limit`);
  const { depth, cost } = result.measure;
  return { depth, cost };
}

describe('analyseOperation: cost and depth', () => {
  it('counts each field once and the depth of the deepest field', () => {
    expect(measure('{ product(id: "1") { id name } }')).toEqual({ depth: 2, cost: 3 });
    expect(measure('{ product(id: "1") { price { amount currency } } }')).toEqual({ depth: 3, cost: 4 });
    expect(measure('mutation { createProduct(name: "x") { id } }')).toEqual({ depth: 2, cost: 2 });
  });

  it('multiplies what a connection selects by its page size', () => {
    expect(measure('{ products(first: 10) { edges { node { id } } } }')).toEqual({ depth: 4, cost: 31 });
    expect(measure('query($n: Int) { products(first: $n) { edges { node { id } } } }', { n: 50 })).toEqual({ depth: 4, cost: 151 });
  });

  it("uses the argument's default page size when none is given, and the operation's default for a variable left out", () => {
    expect(measure('{ products { edges { node { id } } } }').cost).toBe(61);
    expect(measure('{ products(first: null) { edges { node { id } } } }').cost).toBe(61);
    expect(measure('query($n: Int) { products(first: $n) { edges { node { id } } } }').cost).toBe(61);
    expect(measure('query($n: Int = 100) { products(first: $n) { edges { node { id } } } }').cost).toBe(301);
    expect(measure('query($n: Int = 100) { products(first: $n) { edges { node { id } } } }', { n: 2 }).cost).toBe(7);
  });

  it('multiplies nested connections', () => {
    expect(measure('{ products(first: 10) { edges { node { related(first: 5) { edges { node { id } } } } } } }')).toEqual({ depth: 7, cost: 181 });
  });

  it('counts fragments like the fields they stand for, at the depth they are spread', () => {
    expect(measure('{ product(id: "1") { ...F } } fragment F on Product { id name }')).toEqual({ depth: 2, cost: 3 });
    expect(measure('{ product(id: "1") { ... on Product { id name } } }')).toEqual({ depth: 2, cost: 3 });
    expect(measure('{ products(first: 10) { ...C } } fragment C on ProductConnection { edges { node { id } } }')).toEqual({ depth: 4, cost: 31 });
    expect(measure('{ a: product(id: "1") { ...F } b: product(id: "2") { ...F } } fragment F on Product { price { amount } }')).toEqual({ depth: 3, cost: 6 });
  });

  it('counts __typename and introspection fields like any other', () => {
    expect(measure('{ __typename }')).toEqual({ depth: 1, cost: 1 });
    expect(measure('{ __schema { types { name fields { name } } } }')).toEqual({ depth: 4, cost: 5 });
  });

  it('admits the standard introspection query (GraphiQL, codegen, Apollo Sandbox) with the default limits', () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    const result = analyse(query, {}, { maxDepth: 16, maxCost: 10_000, maxAliases: 30, maxDirectives: 50, maxRootFields: 20, maxDuplicateFields: 20 });
    expect(result).toEqual({ ok: true, measure: { depth: 15, cost: 229, aliases: 0, directives: 0, rootFields: 1, duplicateFields: 0, variableDependent: false } });
  });

  it('walks each fragment once however often it is spread: 40 fragments doubling at each level cost 2^39', () => {
    const definitions = Array.from({ length: 39 }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`).join(' ');
    const result = analyse(`{ ...F0 } ${definitions} fragment F39 on Query { __typename }`);
    // Each fragment repeats the next one's fields once more than it selects them: 2^39 - 1 duplicates once expanded.
    expect(result).toMatchObject({ ok: true, measure: { cost: 2 ** 39, duplicateFields: 2 ** 39 - 1 } });
  });

  it('marks a cost that depends on variables, so it is not cached', () => {
    const fixed = analyse('{ products(first: 3) { edges { cursor } } }');
    const variable = analyse('query($n: Int) { products(first: $n) { edges { cursor } } }', { n: 3 });
    expect(fixed.ok && fixed.measure.variableDependent).toBe(false);
    expect(variable.ok && variable.measure.variableDependent).toBe(true);
  });

  it('leaves unknown fields, fragments and cycles to validation, counting what it can', () => {
    expect(measure('{ nope { deeper } product(id: "1") { ...Missing } }')).toEqual({ depth: 2, cost: 3 });
    expect(measure('{ product(id: "1") { ...A } } fragment A on Product { id ...B } fragment B on Product { name ...A }')).toEqual({ depth: 2, cost: 3 });
  });
});

describe('analyseOperation: limits', () => {
  it.each([
    ['depth', '{ product(id: "1") { price { amount } } }', { maxDepth: 2 }, 3],
    ['cost', '{ products(first: 100) { edges { node { id } } } }', { maxCost: 100 }, 101],
    ['aliases', '{ a: product(id: "1") { id } b: product(id: "2") { x: id } }', { maxAliases: 2 }, 3],
    ['directives', 'query($s: Boolean!) @a { product(id: "1") @skip(if: $s) { id @include(if: true) } }', { maxDirectives: 2 }, 3],
    ['rootFields', '{ a: product(id: "1") { id } b: product(id: "2") { id } __typename }', { maxRootFields: 2 }, 3],
    ['duplicateFields', '{ product(id: "1") { id id ... on Product { id } } }', { maxDuplicateFields: 1 }, 2],
    ['duplicateFields', '{ product(id: "1") { id ...F ...F } } fragment F on Product { id }', { maxDuplicateFields: 1 }, 2],
    ['variables', 'query($a: Int, $b: Int, $c: Int) { __typename }', { maxVariables: 2 }, 3],
  ] as const)('stops at the first %s over the limit', (limit, source, limits, measured) => {
    expect(analyse(source, {}, limits)).toEqual({ ok: false, limit, measured, exact: limit === 'variables' });
  });

  it('holds fragments and operations that do not run to the limits too (validation visits them all)', () => {
    expect(analyse('query A { __typename } query B { product(id: "1") { id id id } }', {}, { maxDuplicateFields: 1 })).toMatchObject({ ok: false, limit: 'duplicateFields' });
    expect(analyse('{ __typename } fragment Unused on Product { id id id }', {}, { maxDuplicateFields: 1 })).toMatchObject({ ok: false, limit: 'duplicateFields' });
  });

  it("does not count a fragment's top fields as root fields when it is spread deeper", () => {
    expect(analyse('{ product(id: "1") { ...F } } fragment F on Product { id name price { amount } }', {}, { maxRootFields: 1 })).toMatchObject({ ok: true });
  });
});

describe('variablesSize', () => {
  it('measures about the JSON length, and stops once over the maximum', () => {
    expect(variablesSize({ id: 'abc', n: 12 }, 1000)).toBe(JSON.stringify({ id: 'abc', n: 12 }).length + 1);
    expect(variablesSize({ text: 'x'.repeat(1_000_000) }, 100)).toBeGreaterThan(100);
    const deep: unknown[] = [];
    let cursor = deep;
    for (let level = 0; level < 100_000; level += 1) {
      const next: unknown[] = [];
      cursor.push(next);
      cursor = next;
    }
    expect(variablesSize({ deep }, 1000)).toBeGreaterThan(1000);
  });
});

describe('OperationGuard', () => {
  const limits: QueryLimits = { ...LOOSE, maxTokens: 50, maxVariables: 2, maxVariablesBytes: 100, maxCost: 100 };
  const guard = new OperationGuard(() => schema, limits);

  it('refuses more tokens than the limit while parsing, with QUERY_TOO_COMPLEX', () => {
    const result = guard.check({ query: `{ ${'__typename '.repeat(100)}}` });
    expect(result.kind).toBe('too-complex');
    expect(result.kind === 'too-complex' && result.error.message).toBe('number of tokens more than 50 exceeds the limit of 50');
  });

  it('refuses a document longer than the limit before parsing it (a string literal is one token)', () => {
    const short = new OperationGuard(() => schema, { ...limits, maxQueryLength: 40 });
    const result = short.check({ query: `{ product(id: "${'x'.repeat(100)}") { id } }` });
    expect(result.kind === 'too-complex' && result.error.message).toBe('length of the document 126 exceeds the limit of 40 characters');
  });

  it('refuses too many or too large variables before parsing', () => {
    const many = guard.check({ query: '{ __typename }', variables: { a: 1, b: 2, c: 3 } });
    expect(many.kind === 'too-complex' && many.error.details).toEqual({ limit: 'variables', max: 2, measured: 'more than 2' });
    const large = guard.check({ query: '{ __typename }', variables: { a: 'x'.repeat(200) } });
    expect(large.kind === 'too-complex' && large.error.message).toBe('size of the variables more than 100 exceeds the limit of 100 characters of JSON');
  });

  it('reports a syntax error as such, and reuses a parsed document', () => {
    expect(guard.check({ query: '{ product(' }).kind).toBe('syntax-error');
    const first = guard.check({ query: '{ products(first: 3) { edges { cursor } } }' });
    const second = guard.check({ query: '{ products(first: 3) { edges { cursor } } }' });
    expect(first.kind === 'accepted' && second.kind === 'accepted' && first.document === second.document).toBe(true);
    // A cached document is still measured with each request's variables.
    const query = 'query($n: Int) { products(first: $n) { edges { cursor } } }';
    expect(guard.check({ query, variables: { n: 3 } }).kind).toBe('accepted');
    expect(guard.check({ query, variables: { n: 99 } }).kind).toBe('too-complex');
  });
});
