import {
  GraphQLError,
  subscribe,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { requireAuthenticated } from '../../lib/auth';
import { ErrorCode, NotFoundError } from '../../lib/ddd';
import type { Logger } from '../../lib/logging';
import type { GatewayContext } from '../gateway-context';
import { orderQueryFor } from './federated-selection';
import type { OrderStatusFeed } from './order-status-feed';
import type { OrderStatusMessage } from './order-status-message';
import { pushIterator } from './push-iterator';

/** Runs an operation through the supergraph (query planning, every subgraph) as the given caller. */
export type FederatedExecutor = (
  request: { query: string; variables: Record<string, unknown>; operationName?: string | undefined },
  context: GatewayContext,
) => Promise<FormattedExecutionResult>;

export interface SubscriptionRequest {
  readonly document: DocumentNode;
  readonly variableValues: Record<string, unknown> | undefined;
  readonly operationName: string | undefined;
  readonly contextValue: GatewayContext;
}

/** Event ids a subscription remembers to drop redeliveries; far more than one order's status events. */
const MAX_REMEMBERED_EVENTS = 32;

const ACCESS_QUERY = 'query OrderStatusChangedAccess($id: ID!) { order(id: $id) { id } }';

/** A GraphQL error from a federated result, keeping its contract code (FORBIDDEN, NOT_FOUND...). */
function toGraphQLError(error: NonNullable<FormattedExecutionResult['errors']>[number]): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...error.extensions } });
}

/**
 * Executes `orderStatusChanged` subscriptions, which @apollo/gateway cannot: graphql-js `subscribe` runs over the
 * gateway's API schema, the event stream comes from the order status feed, and the `order` part of each update
 * is fetched as a federated query for that order with the subscriber's identity, so any field of any subgraph
 * can be selected. Identical fetches for one event (same caller, same selection) are shared.
 */
export class SubscriptionExecutor {
  private readonly inflight = new Map<string, Promise<FormattedExecutionResult>>();

  constructor(
    private readonly deps: {
      readonly schema: () => GraphQLSchema;
      readonly feed: OrderStatusFeed;
      readonly execute: FederatedExecutor;
      readonly logger: Logger;
    },
  ) {}

  subscribe(request: SubscriptionRequest): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    return subscribe({
      schema: this.deps.schema(),
      document: request.document,
      variableValues: request.variableValues,
      operationName: request.operationName,
      contextValue: request.contextValue,
      subscribeFieldResolver: this.subscribeField,
      fieldResolver: this.resolveField,
    });
  }

  private readonly subscribeField: GraphQLFieldResolver<unknown, GatewayContext> = async (_root, args, context, info) => {
    if (info.fieldName !== 'orderStatusChanged') {
      throw new GraphQLError(`subscription field ${info.fieldName} is not served`, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    }
    requireAuthenticated(context.caller, 'subscribe to order status');
    const orderId = String((args as { orderId: unknown }).orderId);
    let unwatch: () => Promise<void> = async () => undefined;
    const stream = pushIterator<OrderStatusMessage>(() => unwatch());
    // Event delivery is at least once (DESIGN.md 4): a redelivered event must not reach the client twice. An order
    // has at most four status events, so remembering the ids this subscription has seen stays small.
    const seen = new Set<string>();
    const onMessage = (message: OrderStatusMessage) => {
      if (seen.has(message.eventId)) return;
      seen.add(message.eventId);
      if (seen.size > MAX_REMEMBERED_EVENTS) seen.delete(seen.values().next().value as string);
      stream.push(message);
    };
    // Watch before checking access, so no change between the check and the first event can slip through.
    unwatch = await this.deps.feed.watch(orderId, onMessage);
    try {
      const access = await this.deps.execute({ query: ACCESS_QUERY, variables: { id: orderId } }, context);
      const [error] = access.errors ?? [];
      if (error) throw toGraphQLError(error);
      if (!(access.data as { order?: unknown } | undefined)?.order) {
        throw new NotFoundError(`no order with id ${JSON.stringify(orderId)}`, { field: 'orderId', value: orderId });
      }
    } catch (error) {
      await stream.iterator.return?.();
      throw error;
    }
    return stream.iterator;
  };

  private readonly resolveField: GraphQLFieldResolver<unknown, GatewayContext> = async (source, _args, context, info) => {
    if (info.parentType.name === 'Subscription') return source;
    if (info.parentType.name === 'OrderStatusUpdate') {
      const message = source as OrderStatusMessage;
      if (info.fieldName !== 'order') return message[info.fieldName as keyof OrderStatusMessage];
      const query = orderQueryFor(info, message.orderId);
      const result = await this.shared(message.eventId, context, query.query, query.variables);
      const order = (result.data as { order?: unknown } | null | undefined)?.order;
      if (order == null) {
        const [error] = result.errors ?? [];
        throw error ? toGraphQLError(error) : new NotFoundError(`order ${message.orderId} is no longer available`);
      }
      return order;
    }
    // Inside the federated result, objects are keyed by response name (aliases included).
    return (source as Record<string, unknown> | null)?.[info.path.key as string];
  };

  private shared(eventId: string, context: GatewayContext, query: string, variables: Record<string, unknown>): Promise<FormattedExecutionResult> {
    const caller = context.caller;
    const key = JSON.stringify([eventId, caller?.sub ?? null, caller?.roles ?? null, query, variables]);
    const existing = this.inflight.get(key);
    if (existing) return existing;
    const pending = this.deps.execute({ query, variables }, context);
    this.inflight.set(key, pending);
    // Kept briefly: subscribers of one event ask within milliseconds of each other.
    const forget = () => setTimeout(() => this.inflight.delete(key), 1000).unref();
    pending.then(forget, forget);
    return pending;
  }
}
