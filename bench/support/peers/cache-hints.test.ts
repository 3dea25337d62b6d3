import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { hiveCacheRules, projectHiveCacheRules } from './cache-hints';

const CATALOG = `
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT
  enum CacheControlScope { PUBLIC PRIVATE }
  type Money @cacheControl(inheritMaxAge: true) { amount: Int! }
  type Product @cacheControl(maxAge: 30) { id: ID! price: Money! reserved: Int @cacheControl(scope: PRIVATE) }
  type Audit { at: String! }
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 30)
    audit: Audit
  }
  type Mutation { touch: Product! }
`;
const SUPERGRAPH = `
  type Money { amount: Int! }
  type Product { id: ID! price: Money! reserved: Int }
  type Audit { at: String! }
  type Customer { id: ID! orders: [Order!]! }
  type Order { id: ID! }
  type Query { product(id: ID!): Product audit: Audit me: Customer }
  type Mutation { touch: Product! }
`;

describe('hiveCacheRules', () => {
  it("restates the catalog's hints and gives every unhinted type and root field a TTL of 0", () => {
    expect(hiveCacheRules(CATALOG, SUPERGRAPH)).toEqual({
      ttl: 0,
      ttlPerSchemaCoordinate: {
        Product: 30_000,
        Audit: 0,
        'Query.product': 30_000,
        'Query.audit': 0,
        Customer: 0,
        Order: 0,
        'Query.me': 0,
      },
      scopePerSchemaCoordinate: { 'Product.reserved': 'PRIVATE' },
    });
  });

  it("reads this repository's schema: products cached for Catalog's 60 s, orders and rewards never", () => {
    const rules = projectHiveCacheRules(resolve(__dirname, '../../../schema'));
    expect(rules.ttlPerSchemaCoordinate['Product']).toBe(60_000);
    expect(rules.ttlPerSchemaCoordinate['Query.product']).toBe(60_000);
    expect(rules.ttlPerSchemaCoordinate['Query.products']).toBe(60_000);
    for (const coordinate of ['Query.me', 'Customer', 'Order', 'OrderItem', 'RewardAccount']) expect(rules.ttlPerSchemaCoordinate[coordinate]).toBe(0);
    expect(rules.scopePerSchemaCoordinate).toEqual({ 'Product.reservedQuantity': 'PRIVATE' });
  });
});
