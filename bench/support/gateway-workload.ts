import { seededRandom, zipfSampler } from './zipf';

/**
 * The gateway benchmark's operations and the requests each one sends: shared by the load generator (which sends
 * them) and the benchmark (which checks the gateways with them).
 * - products: anonymous `products(first: 20)`;
 * - product: anonymous `product(id:)` over a Zipf(1.1) mix of the products (a few hot ones: what dedupe and caches
 *   are for);
 * - product-many-ids: `product(id:)` over every product, uniformly, in a shuffled cycle, so no two requests in
 *   flight together ask for the same id (dedupe cannot fold them);
 * - me: `me { orders { items { product } } rewards }` of a few customers in turn;
 * - me-many-callers: the same query from many customers, each with its own token and orders, in turn (more callers
 *   than connections: dedupe cannot fold them);
 * - mixed: 19 reads of the first kinds, then one price change by an admin (1 request in 20 is a mutation). The
 *   changes go to the most popular products in turn (the entries a cache holds, so each change invalidates what is
 *   read), never to one product twice among the last MUTATED_PRODUCTS changes: two changes of one product in flight
 *   together would race for its version and one of them could be refused (CONFLICT), which is the product's
 *   answer to an admin racing themself, not what this workload measures.
 */
export const OPERATIONS = ['products', 'product', 'product-many-ids', 'me', 'me-many-callers', 'mixed'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** How many of the most popular products the `mixed` workload's price changes go to, in turn. */
export const MUTATED_PRODUCTS = 10;

export const PRODUCTS_QUERY = 'query Products { products(first: 20) { edges { node { id name price { amount currency } inStock } } pageInfo { hasNextPage endCursor } } }';
export const PRODUCT_QUERY = 'query Product($id: ID!) { product(id: $id) { id name description price { amount currency } stockQuantity inStock } }';
export const ME_QUERY =
  'query Me { me { id orders(first: 10) { edges { node { id status total { amount currency } items { quantity product { id name price { amount currency } } } } } } rewards { balance tier } } }';
export const PRICE_MUTATION = 'mutation Price($id: ID!, $price: MoneyInput!) { changeProductPrice(id: $id, price: $price) { id price { amount } } }';

export interface BenchCustomer {
  readonly sub: string;
  readonly token: string;
  /** The ids of the orders seeded for this customer. */
  readonly orderIds: readonly string[];
}

export interface WorkloadFixture {
  /** Every product, the most popular first (Zipf rank order). */
  readonly productIds: readonly string[];
  /** The customers of `me` and `mixed`. */
  readonly customers: readonly BenchCustomer[];
  /** The customers of `me-many-callers`: more than the load's connections. */
  readonly manyCallers: readonly BenchCustomer[];
  readonly adminToken: string;
}

export interface WorkloadRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
  /** For a `me` query: the caller whose data the answer must hold. */
  readonly caller?: string;
}

/** The requests of one operation in one round, in order (the same seed draws the same sequence). */
export function workload(operation: Operation, fixture: WorkloadFixture, seed: number): () => WorkloadRequest {
  const random = seededRandom(seed);
  const zipf = zipfSampler(fixture.productIds.length, 1.1, random);
  const cycle = shuffled(fixture.productIds, random);
  let sequence = 0;
  let priceToggle = 0;
  const anonymous = {};
  const product = (id: string): WorkloadRequest => ({ body: JSON.stringify({ query: PRODUCT_QUERY, operationName: 'Product', variables: { id } }), headers: anonymous });
  const me = (customer: BenchCustomer): WorkloadRequest => ({
    body: JSON.stringify({ query: ME_QUERY, operationName: 'Me' }),
    headers: { authorization: `Bearer ${customer.token}` },
    caller: customer.sub,
  });
  const next = (kind: Operation | 'mutation'): WorkloadRequest => {
    switch (kind) {
      case 'products':
        return { body: JSON.stringify({ query: PRODUCTS_QUERY, operationName: 'Products' }), headers: anonymous };
      case 'product':
        return product(fixture.productIds[zipf()]!);
      case 'product-many-ids':
        return product(cycle[sequence % cycle.length]!);
      case 'me':
        return me(fixture.customers[sequence % fixture.customers.length]!);
      case 'me-many-callers':
        return me(fixture.manyCallers[sequence % fixture.manyCallers.length]!);
      case 'mutation':
        priceToggle += 1;
        return {
          body: JSON.stringify({ query: PRICE_MUTATION, operationName: 'Price', variables: { id: fixture.productIds[priceToggle % Math.min(MUTATED_PRODUCTS, fixture.productIds.length)]!, price: { amount: 1000 + (priceToggle % 50), currency: 'USD' } } }),
          headers: { authorization: `Bearer ${fixture.adminToken}` },
        };
      default:
        return next(mixedKind(sequence));
    }
  };
  return () => {
    sequence += 1;
    return next(operation);
  };
}

/** The mixed workload: 19 reads of the three kinds, then one price change (1 mutation in 20). */
function mixedKind(sequence: number): 'products' | 'product' | 'me' | 'mutation' {
  if (sequence % 20 === 0) return 'mutation';
  return (['products', 'product', 'me', 'product'] as const)[sequence % 4]!;
}

/** Fisher-Yates with the workload's seeded random: every id once per cycle, in an order that varies by round. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/** Whether an answer to a `me` query holds `caller`'s data (the query selects `me.id` first). */
export function answersFor(body: string, caller: string): boolean {
  return body.includes(`"me":{"id":${JSON.stringify(caller)}`);
}

/** Whether an answer to a `me` query holds a customer's data at all (not an error without data). */
export function holdsSomeonesData(body: string): boolean {
  return body.includes('"me":{"id":');
}
