import { expect } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { CREATE_PRODUCT, productInput, type CreateProductInput, type ProductView } from './catalog';
import { graphql, type GraphQLResponse } from './graphql';

/** Every field Orders serves on Order (docs/architecture.md §2), without the ones other subgraphs contribute. */
export const ORDER_FIELDS = `id customer { id } status total { amount currency } placedAt updatedAt
  items { product { id } productName unitPrice { amount currency } quantity lineTotal { amount currency } }`;

export interface OrderView {
  readonly id: string;
  readonly customer: { readonly id: string };
  readonly status: 'PENDING' | 'CONFIRMED' | 'COMPLETED' | 'CANCELLED';
  readonly total: { readonly amount: number; readonly currency: string };
  readonly placedAt: string;
  readonly updatedAt: string;
  readonly items: readonly {
    readonly product: { readonly id: string };
    readonly productName: string;
    readonly unitPrice: { readonly amount: number; readonly currency: string };
    readonly quantity: number;
    readonly lineTotal: { readonly amount: number; readonly currency: string };
  }[];
}

export interface OrderItemInput {
  readonly productId: string;
  readonly quantity: number;
}

export const PLACE_ORDER = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
export const READ_ORDER = `query Read($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
export const CONFIRM_ORDER = `mutation Confirm($id: ID!) { confirmOrder(id: $id) { ${ORDER_FIELDS} } }`;
export const COMPLETE_ORDER = `mutation Complete($id: ID!) { completeOrder(id: $id) { ${ORDER_FIELDS} } }`;
export const CANCEL_ORDER = `mutation Cancel($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { ${ORDER_FIELDS} } }`;
export const MY_ORDERS = `query Mine($first: Int, $after: String, $status: OrderStatus) {
  me { id orders(first: $first, after: $after, status: $status) { edges { cursor node { id status placedAt } } pageInfo { hasNextPage endCursor } } }
}`;

export interface MyOrdersPage {
  readonly me: {
    readonly id: string;
    readonly orders: {
      readonly edges: readonly { readonly cursor: string; readonly node: { readonly id: string; readonly status: string; readonly placedAt: string } }[];
      readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
    };
  } | null;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type ProductSpec = Partial<CreateProductInput> & { readonly n: number };

/** Creates products through the gateway as an admin, one per spec, in order; `n` keeps SKUs unique within a file. */
export async function createProducts<const T extends readonly ProductSpec[]>(system: RunningSystem, adminToken: string, specs: T): Promise<{ -readonly [K in keyof T]: ProductView }> {
  const products: ProductView[] = [];
  for (const { n, ...overrides } of specs) {
    const response = await graphql<{ createProduct: ProductView }>(system.urls.gateway, CREATE_PRODUCT, { input: productInput(n, overrides) }, { token: adminToken });
    expect(response.errors).toBeUndefined();
    products.push(response.data!.createProduct);
  }
  return products as { -readonly [K in keyof T]: ProductView };
}

/** placeOrder through the gateway; the response as it came. */
export function placeOrderAs(system: RunningSystem, token: string | undefined, items: readonly OrderItemInput[], idempotencyKey?: string): Promise<GraphQLResponse<{ placeOrder: OrderView }>> {
  return graphql<{ placeOrder: OrderView }>(system.urls.gateway, PLACE_ORDER, { input: { items, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) } }, token ? { token } : {});
}

/** placeOrder through the gateway that must succeed. */
export async function placedOrder(system: RunningSystem, token: string, items: readonly OrderItemInput[], idempotencyKey?: string): Promise<OrderView> {
  const response = await placeOrderAs(system, token, items, idempotencyKey);
  expect(response.errors).toBeUndefined();
  return response.data!.placeOrder;
}

/** The single error of a response: its code, message and details. */
export function onlyError(response: GraphQLResponse<unknown>): { code: string | undefined; message: string; details: unknown } {
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  return { code: error.extensions?.['code'] as string | undefined, message: error.message, details: error.extensions?.['details'] };
}

/** Nothing in a response hints at the implementation: no stack frames, paths, SDK errors or hostnames. */
export function expectNoInternals(body: unknown): void {
  expect(JSON.stringify(body)).not.toMatch(/node_modules|\/work\/|\.ts:\d|\\n\s+at |Exception|DynamoDB|stacktrace|127\.0\.0\.1|ECONNREFUSED|undici|UND_ERR/);
}
