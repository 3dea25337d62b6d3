import { describe, expect, it } from '@jest/globals';
import { buildSchema, OperationTypeNode, type GraphQLError } from 'graphql';
import { loadConfig } from '../../lib/config';
import { Edge } from '../edge/admission';
import { OperationGuard } from '../limits/operation-guard';
import type { QueryLimits } from '../limits/query-limits';
import { NO_RATE_LIMIT } from '../rate-limit/rate-limiter';
import { admitAndPrepare, type PreparedOperation } from './prepare-operation';

const schema = buildSchema(`
  type Money { amount: Int! currency: String! }
  type OrderEdge { node: Order! }
  type OrderConnection { edges: [OrderEdge!]! }
  type Customer { id: ID! orders(first: Int = 20): OrderConnection! }
  type Order { id: ID! status: String! total: Money! customer: Customer! }
  type OrderStatusUpdate { order: Order! status: String! }
  type Query { order(id: ID!): Order }
  type Subscription { orderStatusChanged(orderId: ID!): OrderStatusUpdate! }
`);
const defaults: QueryLimits = { ...loadConfig({ NODE_ENV: 'test' }).queryLimits, maxDepth: 6, maxCost: 100 };
const limits = {};
const caller = { sub: 'customer-1', roles: [], expiresAt: Math.floor(Date.now() / 1000) + 600 };
const verifyToken = () => Promise.reject(new Error('sockets identify their caller when they connect'));

/** The path an operation takes on a socket: the edge, then validation. */
function prepare(payload: Record<string, unknown>, overrides: Partial<QueryLimits> = {}, hideSchemaDetails = false) {
  const edge = new Edge({ verifyToken, guard: new OperationGuard(() => schema, { ...defaults, ...overrides }), rateLimiter: NO_RATE_LIMIT, documents: undefined, schema: () => schema });
  return admitAndPrepare(edge, () => schema, { ...payload, address: '127.0.0.1' }, caller, { hideSchemaDetails });
}

function errorsOf(result: PreparedOperation | GraphQLError[]): { message: string; code: unknown }[] {
  if (!Array.isArray(result)) throw new Error('expected errors, got a prepared operation');
  return result.map((error) => ({ message: error.message, code: error.extensions['code'] }));
}

function prepared(result: PreparedOperation | GraphQLError[]): PreparedOperation {
  if (Array.isArray(result)) throw new Error(`expected a prepared operation, got ${result.map((e) => e.message).join('; ')}`);
  return result;
}

/** Operations arriving over WebSocket or multipart pass the same checks as Apollo Server's HTTP pipeline. */
describe('prepareOperation', () => {
  it('prepares a valid subscription with its variables and operation name', async () => {
    const result = prepared(
      await prepare({
          query: 'query Other { order(id: "1") { id } } subscription Watch($id: ID!) { orderStatusChanged(orderId: $id) { status } }',
          variables: { id: 'order-1' },
          operationName: 'Watch',
        },
        limits,
      ),
    );
    expect(result.operation.operation).toBe(OperationTypeNode.SUBSCRIPTION);
    expect(result.operation.name?.value).toBe('Watch');
    expect(result.variables).toEqual({ id: 'order-1' });
    expect(result.operationName).toBe('Watch');
    expect(result.document.definitions).toHaveLength(2);
  });

  it('treats null variables and operation name as absent', async () => {
    const result = prepared(await prepare({ query: 'subscription { orderStatusChanged(orderId: "1") { status } }', variables: null, operationName: null }, limits));
    expect(result.variables).toBeUndefined();
    expect(result.operationName).toBeUndefined();
  });

  it.each([
    [{}, 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.', 'BAD_REQUEST'],
    [{ query: 42 }, 'GraphQL queries must be strings.', 'BAD_REQUEST'],
    [{ query: '{ order(id: "1") { id } }', variables: [1] }, '`variables` must be an object when given', 'BAD_REQUEST'],
    [{ query: '{ order(id: "1") { id } }', variables: 'id=1' }, '`variables` must be an object when given', 'BAD_REQUEST'],
    [{ query: '{ order(id: "1") { id } }', operationName: 7 }, '`operationName` must be a string when given', 'BAD_REQUEST'],
    [{ query: '   ' }, 'Syntax Error: Unexpected <EOF>.', 'GRAPHQL_PARSE_FAILED'],
    [{ query: 'subscription {' }, 'Syntax Error: Expected Name, found <EOF>.', 'GRAPHQL_PARSE_FAILED'],
    [{ query: 'query A { order(id: "1") { id } } query B { order(id: "2") { id } }' }, 'Must provide operation name if query contains multiple operations.', 'OPERATION_RESOLUTION_FAILURE'],
    [{ query: 'query A { order(id: "1") { id } }', operationName: 'B' }, 'Unknown operation named "B".', 'OPERATION_RESOLUTION_FAILURE'],
  ])("answers %j with Apollo Server's message and code: %s", async (payload, message, code) => {
    expect(errorsOf(await prepare(payload, limits))).toEqual([{ message, code }]);
  });

  it('reports every validation error as GRAPHQL_VALIDATION_FAILED, with its location', async () => {
    const result = await prepare({ query: 'subscription { orderStatusChanged { nope } }' }, limits);
    expect(errorsOf(result)).toEqual([
      { message: 'Cannot query field "nope" on type "OrderStatusUpdate".', code: 'GRAPHQL_VALIDATION_FAILED' },
      { message: 'Field "orderStatusChanged" argument "orderId" of type "ID!" is required, but it was not provided.', code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
    expect((result as GraphQLError[])[0]!.locations).toEqual([{ line: 1, column: 37 }]);
  });

  it('reports variables that are missing or do not fit their type as BAD_USER_INPUT, before anything runs', async () => {
    const query = 'subscription ($id: ID!, $first: Int) { orderStatusChanged(orderId: $id) { order { customer { orders(first: $first) { edges { node { id } } } } } } }';
    expect(errorsOf(await prepare({ query }, { maxDepth: 10 }))).toEqual([
      { message: 'Variable "$id" of required type "ID!" was not provided.', code: 'BAD_USER_INPUT' },
    ]);
    expect(errorsOf(await prepare({ query, variables: { id: ['a'], first: 'ten' } }, { maxDepth: 10 }))).toEqual([
      { message: 'Variable "$id" got invalid value ["a"]; ID cannot represent value: ["a"]', code: 'BAD_USER_INPUT' },
      { message: 'Variable "$first" got invalid value "ten"; Int cannot represent non-integer value: "ten"', code: 'BAD_USER_INPUT' },
    ]);
    expect(Array.isArray(await prepare({ query, variables: { id: 7, first: 3 } }, { maxDepth: 10, maxCost: 100 }))).toBe(false);
  });

  it('refuses a document with more tokens than the parser allows, before validating it', async () => {
    const fields = Array.from({ length: 6_000 }, () => 'status').join(' ');
    const result = await prepare({ query: `subscription { orderStatusChanged(orderId: "1") { ${fields} } }` }, limits);
    expect(errorsOf(result)).toEqual([{ message: 'number of tokens more than 5000 exceeds the limit of 5000', code: 'QUERY_TOO_COMPLEX' }]);
    expect((result as GraphQLError[])[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', details: { limit: 'tokens', max: 5000, measured: 'more than 5000' } });
  });

  it('strips "Did you mean" suggestions when schema details are hidden (production)', async () => {
    const query = 'subscription { orderStatusChanged(orderId: "1") { statu } }';
    expect(errorsOf(await prepare({ query }))).toEqual([{ message: 'Cannot query field "statu" on type "OrderStatusUpdate". Did you mean "status"?', code: 'GRAPHQL_VALIDATION_FAILED' }]);
    expect(errorsOf(await prepare({ query }, {}, true))).toEqual([{ message: 'Cannot query field "statu" on type "OrderStatusUpdate".', code: 'GRAPHQL_VALIDATION_FAILED' }]);
  });

  it('refuses an operation deeper than the limit with QUERY_TOO_COMPLEX and its measures', async () => {
    // Depth 7: orderStatusChanged > order > customer > orders > edges > node > id.
    const result = await prepare({ query: 'subscription { orderStatusChanged(orderId: "1") { order { customer { orders(first: 1) { edges { node { id } } } } } } }' },
      limits,
    );
    expect(errorsOf(result)).toEqual([{ message: 'query depth more than 6 exceeds the limit of 6', code: 'QUERY_TOO_COMPLEX' }]);
    expect((result as GraphQLError[])[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', details: { limit: 'depth', max: 6, measured: 'more than 6' } });
  });

  it('refuses an operation costlier than the limit, page sizes from variables included', async () => {
    const query = 'subscription ($n: Int) { orderStatusChanged(orderId: "1") { order { customer { orders(first: $n) { edges { node { id status } } } } } } }';
    // orderStatusChanged, order, customer, orders: 4; edges: 50 more (54); node: 50 more (104), over 100: the walk stops.
    const result = await prepare({ query, variables: { n: 50 } }, { maxDepth: 10, maxCost: 100 });
    expect(errorsOf(result)).toEqual([{ message: 'query cost more than 100 exceeds the limit of 100; ask for smaller pages (first)', code: 'QUERY_TOO_COMPLEX' }]);
    expect((result as GraphQLError[])[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', details: { limit: 'cost', max: 100, measured: 'more than 100' } });
    expect(Array.isArray(await prepare({ query, variables: { n: 2 } }, { maxDepth: 10, maxCost: 100 }))).toBe(false);
  });
});
