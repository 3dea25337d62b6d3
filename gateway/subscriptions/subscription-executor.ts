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
import { ErrorCode, NotFoundError, ValidationError } from '../../lib/ddd';
import { RequestDeadline, type Logger } from '../../lib/logging';
import type { GatewayContext } from '../gateway-context';
import { orderQueryFor } from './federated-selection';
import type { OrderStatusFeed } from './order-status-feed';
import type { OrderStatusMessage } from './order-status-message';
import { pushIterator } from './push-iterator';
import { VersionOrder } from './version-order';

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

/** The access check, which also reads where the order stands (a resume starts from it). */
const ACCESS_QUERY = 'query OrderStatusChangedAccess($id: ID!) { order(id: $id) { id status updatedAt version } }';

interface OrderNow {
  readonly status: OrderStatusMessage['status'];
  readonly updatedAt: string;
  readonly version: number;
}

/** A GraphQL error from a federated result, keeping its contract code (FORBIDDEN, NOT_FOUND...). */
function toGraphQLError(error: NonNullable<FormattedExecutionResult['errors']>[number]): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...error.extensions } });
}

/**
 * The order's current state as an update, sent first on a resume. What it changed from is not known here (the
 * change may be several versions back), so previousStatus is null, as the schema says.
 */
function currentState(orderId: string, now: OrderNow): OrderStatusMessage {
  return { eventId: `current:${orderId}:${now.version}`, orderId, customerId: '', status: now.status, previousStatus: null, at: now.updatedAt, version: now.version };
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
      /** How long an update that skips a version waits for the missing one (default 250 ms). */
      readonly reorderWindowMs?: number;
      /**
       * The deadline of each fetch a subscription makes (its access check, each update's payload): a subscription
       * lives long, its fetches must not (REQUEST_TIMEOUT_MS, as for any request). None: unbounded.
       */
      readonly fetchTimeoutMs?: number;
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
    const { orderId: rawOrderId, afterVersion } = args as { orderId: unknown; afterVersion?: number | null };
    const orderId = String(rawOrderId);
    if (afterVersion != null && afterVersion < 0) {
      throw new ValidationError('afterVersion', `afterVersion must be 0 or more, got ${afterVersion}`, { value: afterVersion });
    }
    let unwatch: () => Promise<void> = async () => undefined;
    // Event delivery is at least once and unordered across event types (docs/architecture.md §4): updates reach the
    // client once each and in the order's version order (version-order.ts), from a starting point known only once
    // the access check has read the order. Until then what arrives waits here.
    let order: VersionOrder | undefined;
    const early: OrderStatusMessage[] = [];
    const stream = pushIterator<OrderStatusMessage>(async () => {
      order?.close();
      await unwatch();
    });
    // Watch before checking access, so no change between the check and the first event can slip through.
    unwatch = await this.deps.feed.watch(orderId, (message) => (order ? order.accept(message) : early.push(message)));
    try {
      // A fresh read: one already in flight (another subscriber's identical check) may have read the order before
      // this watch began, and a change between the two would reach this subscriber neither way.
      const access = await this.fetch({ query: ACCESS_QUERY, variables: { id: orderId } }, { ...context, fresh: true });
      const [error] = access.errors ?? [];
      if (error) throw toGraphQLError(error);
      const now = (access.data as { order?: OrderNow | null } | undefined)?.order;
      if (!now) throw new NotFoundError(`no order with id ${JSON.stringify(orderId)}`, { field: 'orderId', value: orderId });
      // Without afterVersion, changes from now on; the order exists, so its creation (version 1) is never news.
      // With it, everything after it: the order as it is now stands for the versions up to its own (a version the
      // client claims beyond the order's is taken as the order's), and only later changes follow.
      let after = 1;
      if (afterVersion != null) {
        if (now.version > afterVersion) stream.push(currentState(orderId, now));
        after = now.version;
      }
      order = new VersionOrder((message) => stream.push(message), { windowMs: this.deps.reorderWindowMs, after });
      for (const message of early.splice(0)) order.accept(message);
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
      // Events recorded before orders had versions carry none; 0 is below every real one.
      if (info.fieldName === 'version') return message.version ?? 0;
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
    // The order is fetched when its update is resolved and may have changed again since: the update shows the order
    // as of this change, so its status, updatedAt and version are the update's own (OrderStatusUpdate.order matches
    // status and version).
    if (info.parentType.name === 'Order' && info.path.prev?.typename === 'OrderStatusUpdate') {
      const message = info.rootValue as OrderStatusMessage;
      if (info.fieldName === 'status') return message.status;
      if (info.fieldName === 'updatedAt') return message.at;
      if (info.fieldName === 'version' && message.version !== undefined) return message.version;
    }
    // Inside the federated result, objects are keyed by response name (aliases included).
    return (source as Record<string, unknown> | null)?.[info.path.key as string];
  };

  /** One federated fetch under its own deadline: past it, SERVICE_UNAVAILABLE (request-deadline.ts). */
  private async fetch(request: Parameters<FederatedExecutor>[0], context: GatewayContext): Promise<FormattedExecutionResult> {
    const timeoutMs = this.deps.fetchTimeoutMs;
    if (timeoutMs === undefined) return this.deps.execute(request, context);
    const deadline = new RequestDeadline(timeoutMs);
    try {
      return await this.deps.execute(request, { ...context, deadline });
    } finally {
      deadline.dispose();
    }
  }

  private shared(eventId: string, context: GatewayContext, query: string, variables: Record<string, unknown>): Promise<FormattedExecutionResult> {
    const caller = context.caller;
    const key = JSON.stringify([eventId, caller?.sub ?? null, caller?.roles ?? null, query, variables]);
    const existing = this.inflight.get(key);
    if (existing) return existing;
    const pending = this.fetch({ query, variables }, context);
    this.inflight.set(key, pending);
    // Kept briefly: subscribers of one event ask within milliseconds of each other.
    const forget = () => setTimeout(() => this.inflight.delete(key), 1000).unref();
    pending.then(forget, forget);
    return pending;
  }
}
