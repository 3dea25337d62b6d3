import { GraphQLError, buildSchema, graphql, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { isAdmin, type Caller } from '../../../lib/auth';
import type { GatewayContext } from '../../gateway-context';
import type { FederatedExecutor } from '../subscription-executor';

/** The API schema's part that subscriptions touch, as clients see it (Subscription included). */
export const API_SDL = `
  enum OrderStatus { PENDING CONFIRMED COMPLETED CANCELLED }
  type Money { amount: Int! currency: String! }
  type Product { id: ID! name: String! }
  type OrderItem { product: Product! quantity: Int! }
  type Order { id: ID! status: OrderStatus! total: Money! items: [OrderItem!]! rewardPoints: Int updatedAt: String! version: Int! }
  type OrderStatusUpdate { order: Order! previousStatus: OrderStatus status: OrderStatus! at: String! version: Int! }
  type Query { order(id: ID!): Order }
  type Subscription { orderStatusChanged(orderId: ID!, afterVersion: Int): OrderStatusUpdate! }
`;

export interface FakeOrder {
  readonly id: string;
  readonly customerId: string;
  status: string;
  /** 1 when placed, +1 per status change (Order.version). */
  version: number;
  updatedAt: string;
  readonly total: { amount: number; currency: string };
  readonly items: { product: { id: string; name: string }; quantity: number }[];
  rewardPoints: number | null;
}

export interface ExecutedRequest {
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
  readonly caller: Caller;
  /** Whether the gateway was told the read must begin now (GatewayContext.fresh). */
  readonly fresh: boolean;
}

/**
 * Stands in for the gateway's federated executor in unit tests: runs the same operations against an in-memory
 * Orders view with the contract's access rule (owner or admin, others FORBIDDEN, unknown null), records every
 * request, and can hold the access check or the order fetch until released.
 */
export class FakeSupergraph {
  readonly schema: GraphQLSchema = buildSchema(API_SDL);
  readonly orders = new Map<string, FakeOrder>();
  readonly executed: ExecutedRequest[] = [];
  private readonly gates = new Map<string, Promise<void>>();

  addOrder(order: Omit<FakeOrder, 'rewardPoints' | 'status' | 'version' | 'updatedAt'> & Partial<Pick<FakeOrder, 'rewardPoints' | 'status' | 'version' | 'updatedAt'>>): FakeOrder {
    const stored: FakeOrder = { status: 'PENDING', rewardPoints: null, version: 1, updatedAt: '2026-03-01T09:00:00.000Z', ...order };
    this.orders.set(order.id, stored);
    return stored;
  }

  /** Holds every request of `operationName` until the returned function is called. */
  hold(operationName: string): () => void {
    let release: () => void = () => undefined;
    this.gates.set(operationName, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.gates.delete(operationName);
      release();
    };
  }

  count(operationName: string): number {
    return this.executed.filter((request) => request.operationName === operationName).length;
  }

  readonly execute: FederatedExecutor = async (request, context: GatewayContext) => {
    const operationName = /^query\s+(\w+)/.exec(request.query)?.[1] ?? 'anonymous';
    this.executed.push({ operationName, variables: request.variables, caller: context.caller, fresh: context.fresh === true });
    await this.gates.get(operationName);
    const result = await graphql({
      schema: this.schema,
      source: request.query,
      variableValues: request.variables,
      contextValue: context,
      rootValue: {
        order: ({ id }: { id: string }, ctx: GatewayContext) => {
          const order = this.orders.get(id);
          if (!order) return null;
          if (ctx.caller === null || (ctx.caller.sub !== order.customerId && !isAdmin(ctx.caller))) {
            throw new GraphQLError(`order ${id} belongs to another customer`, { extensions: { code: 'FORBIDDEN' } });
          }
          return order;
        },
      },
    });
    // What Apollo Server hands back: errors already formatted.
    return JSON.parse(JSON.stringify(result)) as FormattedExecutionResult;
  };
}
