import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, print, subscribe, validate, type GraphQLResolveInfo } from 'graphql';
import { orderQueryFor, type FederatedQuery } from './federated-selection';

/** The part of the supergraph's API schema that `orderStatusChanged` selections touch. */
const schema = buildSchema(`
  enum OrderStatus { PENDING CONFIRMED COMPLETED CANCELLED }
  type Money { amount: Int! currency: String! }
  type Product { id: ID! name: String! price: Money! }
  type OrderItem { product: Product! productName: String! quantity: Int! }
  type OrderEdge { node: Order! }
  type OrderConnection { edges: [OrderEdge!]! }
  type Customer { id: ID! orders(first: Int = 20, status: OrderStatus): OrderConnection! }
  type Order { id: ID! status: OrderStatus! total: Money! items: [OrderItem!]! customer: Customer! rewardPoints: Int }
  type OrderStatusUpdate { order: Order! previousStatus: OrderStatus status: OrderStatus! at: String! }
  type Query { order(id: ID!): Order }
  type Subscription { orderStatusChanged(orderId: ID!): OrderStatusUpdate! }
`);

/**
 * Runs the client's subscription with graphql-js `subscribe` over one status message, as the subscription
 * executor does, and returns what `orderQueryFor` builds from the resolve info of each `order` field.
 */
async function build(operation: string, variableValues: Record<string, unknown> = {}): Promise<FederatedQuery[]> {
  const document = parse(operation);
  expect(validate(schema, document)).toEqual([]);
  const built: FederatedQuery[] = [];
  async function* oneMessage() {
    yield { status: 'CONFIRMED', previousStatus: 'PENDING', at: '2026-01-01T00:00:00.000Z' };
  }
  const stream = await subscribe({
    schema,
    document,
    variableValues,
    subscribeFieldResolver: () => oneMessage(),
    fieldResolver: (source: unknown, _args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      if (info.parentType.name === 'OrderStatusUpdate' && info.fieldName === 'order') {
        built.push(orderQueryFor(info, 'order-42'));
        // Settled later, like the real federated fetch, so every order field of the update gets resolved.
        return Promise.resolve(null);
      }
      return info.parentType.name === 'Subscription' ? source : (source as Record<string, unknown>)[info.fieldName];
    },
  });
  if (!(Symbol.asyncIterator in stream)) throw new Error(`subscribe failed: ${JSON.stringify(stream.errors)}`);
  await stream.next();
  await stream.return?.();
  return built;
}

/** The built document must be a valid query of the supergraph: the gateway plans it as any other. */
function expectValidQuery(query: FederatedQuery): void {
  expect(validate(schema, query.document)).toEqual([]);
  expect(print(parse(query.query))).toBe(query.query);
}

const normalise = (text: string) => print(parse(text));

describe('orderQueryFor', () => {
  it('wraps the selection under order in order(id:) with the order id as a variable', async () => {
    const [query] = await build('subscription { orderStatusChanged(orderId: "order-42") { status order { status total { amount } items { product { name } } rewardPoints } } }');
    expectValidQuery(query!);
    expect(query!.query).toBe(
      normalise(`query OrderStatusChangedOrder($__subscriptionOrderId: ID!) {
        order(id: $__subscriptionOrderId) { status total { amount } items { product { name } } rewardPoints }
      }`),
    );
    expect(query!.variables).toEqual({ __subscriptionOrderId: 'order-42' });
  });

  it('keeps aliases, so the federated result is keyed by the names the client asked for', async () => {
    const [query] = await build('subscription { update: orderStatusChanged(orderId: "order-42") { the: order { state: status sum: total { cents: amount } } } }');
    expectValidQuery(query!);
    expect(query!.query).toBe(
      normalise('query OrderStatusChangedOrder($__subscriptionOrderId: ID!) { order(id: $__subscriptionOrderId) { state: status sum: total { cents: amount } } }'),
    );
  });

  it('builds one query per aliased order field, each with its own selection', async () => {
    const queries = await build('subscription { orderStatusChanged(orderId: "order-42") { a: order { status } b: order { total { currency } } } }');
    expect(queries.map((q) => q.query)).toEqual([
      normalise('query OrderStatusChangedOrder($__subscriptionOrderId: ID!) { order(id: $__subscriptionOrderId) { status } }'),
      normalise('query OrderStatusChangedOrder($__subscriptionOrderId: ID!) { order(id: $__subscriptionOrderId) { total { currency } } }'),
    ]);
  });

  it('merges the order selections of every field node, fragments on OrderStatusUpdate included', async () => {
    const [query] = await build(`
      subscription { orderStatusChanged(orderId: "order-42") { order { id } ...Update } }
      fragment Update on OrderStatusUpdate { status order { status } }
    `);
    expectValidQuery(query!);
    expect(query!.query).toBe(normalise('query OrderStatusChangedOrder($__subscriptionOrderId: ID!) { order(id: $__subscriptionOrderId) { id status } }'));
  });

  it('carries the named fragments the order selection reaches, nested ones included, and not the others', async () => {
    const [query] = await build(`
      subscription { orderStatusChanged(orderId: "order-42") { ...Top order { ...OrderParts ... on Order { id } } } }
      fragment Top on OrderStatusUpdate { status }
      fragment OrderParts on Order { status items { ...ItemParts } }
      fragment ItemParts on OrderItem { quantity product { ...ProductParts } }
      fragment ProductParts on Product { name }
    `);
    expectValidQuery(query!);
    expect(query!.query).toBe(
      normalise(`
        query OrderStatusChangedOrder($__subscriptionOrderId: ID!) { order(id: $__subscriptionOrderId) { ...OrderParts ... on Order { id } } }
        fragment OrderParts on Order { status items { ...ItemParts } }
        fragment ItemParts on OrderItem { quantity product { ...ProductParts } }
        fragment ProductParts on Product { name }
      `),
    );
  });

  it('declares and passes only the variables the order selection uses, with their definitions', async () => {
    const [query] = await build(
      `subscription Watch($id: ID!, $withItems: Boolean!, $first: Int = 5, $withPrevious: Boolean!, $status: OrderStatus) {
        orderStatusChanged(orderId: $id) {
          status
          previousStatus @include(if: $withPrevious)
          order {
            items @include(if: $withItems) { quantity }
            customer { orders(first: $first, status: $status) { edges { node { id } } } }
          }
        }
      }`,
      { id: 'order-42', withItems: true, withPrevious: true, status: 'COMPLETED' },
    );
    expectValidQuery(query!);
    expect(query!.query).toBe(
      normalise(`query OrderStatusChangedOrder($__subscriptionOrderId: ID!, $withItems: Boolean!, $first: Int = 5, $status: OrderStatus) {
        order(id: $__subscriptionOrderId) {
          items @include(if: $withItems) { quantity }
          customer { orders(first: $first, status: $status) { edges { node { id } } } }
        }
      }`),
    );
    // The coerced values the client's operation ran with: the default of $first included; $id and
    // $withPrevious, used only outside order, left out.
    expect(query!.variables).toEqual({ __subscriptionOrderId: 'order-42', withItems: true, first: 5, status: 'COMPLETED' });
  });

  it('finds variables used inside fragments', async () => {
    const [query] = await build(
      `subscription ($id: ID!, $skipTotal: Boolean!) { orderStatusChanged(orderId: $id) { order { ...Parts } } }
       fragment Parts on Order { status total @skip(if: $skipTotal) { amount } }`,
      { id: 'order-42', skipTotal: false },
    );
    expectValidQuery(query!);
    expect(query!.variables).toEqual({ __subscriptionOrderId: 'order-42', skipTotal: false });
    expect(query!.query).toContain('query OrderStatusChangedOrder($__subscriptionOrderId: ID!, $skipTotal: Boolean!)');
  });

  it('leaves out a nullable variable the client did not send, so the query sees it as absent', async () => {
    const [query] = await build(
      `subscription ($id: ID!, $status: OrderStatus) { orderStatusChanged(orderId: $id) { order { customer { orders(status: $status) { edges { node { id } } } } } } }`,
      { id: 'order-42' },
    );
    expectValidQuery(query!);
    expect(query!.variables).toEqual({ __subscriptionOrderId: 'order-42' });
  });
});
