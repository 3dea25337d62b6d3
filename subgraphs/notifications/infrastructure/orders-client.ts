import type { Registry } from 'prom-client';
import * as z from 'zod';
import { NOTIFICATIONS_SERVICE, internalCommandKey, signRequest } from '../../../lib/auth';
import type { RequestSigner } from '../../../lib/aws/sigv4';
import { createCircuitBreaker, createKeepAliveAgent, deadline, timeOriginRequests } from '../../../lib/http-client';
import { signRequests } from '../../../lib/http-client/sign-requests';
import { CORRELATION_HEADER, currentCorrelationId, type Logger } from '../../../lib/logging';
import type { OrderDirectory } from '../application/ports';
import type { OrderSnapshot } from '../domain/order-snapshot';

export interface OrdersClientOptions {
  /** Orders' base URL (its internal API lives under /internal). */
  readonly baseUrl: string;
  /** GATEWAY_SIGNING_SECRET: the internal command key is derived from it (lib/auth/internal-commands.ts). */
  readonly signingSecret: string;
  readonly timeoutMs: number;
  readonly breakerThreshold: number;
  readonly breakerHalfOpenAfterMs: number;
  /** SigV4 when Orders is an IAM-authenticated Lambda function URL. */
  readonly sign?: RequestSigner | undefined;
  readonly registry: Registry;
  readonly logger: Logger;
}

const money = z.object({ amount: z.number().int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) });
const text = (max: number) => z.string().max(max);

/**
 * Orders' answer, read as hostile: the contract's fields with bounds (a huge name or a thousand lines is an
 * answer to refuse, not to render), unknown fields ignored.
 */
const orderView = z.object({
  id: text(200).min(1),
  customerId: text(200).min(1),
  status: z.enum(['PENDING', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELLED']),
  total: money,
  items: z
    .array(z.object({ productId: text(200).min(1), productName: text(500), unitPrice: money, quantity: z.number().int().positive(), lineTotal: money }))
    .min(1)
    .max(500),
  placedAt: text(64),
  paymentDueAt: text(64).nullish(),
  cancellationReason: text(1000).nullish(),
  email: text(320).nullish(),
  shippingAddress: z
    .object({
      name: text(200),
      line1: text(200),
      line2: text(200).nullish(),
      city: text(200),
      region: text(200).nullish(),
      postalCode: text(40),
      country: text(2),
    })
    .nullish(),
});

/** Orders did not answer, or answered outside the contract: the delivery is retried later. */
export class OrdersUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OrdersUnavailableError';
  }
}

/**
 * Notifications' reader of Orders' internal API (`GET /internal/orders/:id`), signed with the Notifications
 * service identity and the internal command key (plus SigV4 on AWS), with a deadline per call and a circuit
 * breaker: while Orders is down, deliveries fail fast and are retried by the transport with their backoff.
 */
export class HttpOrderDirectory implements OrderDirectory {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #key: string;
  readonly #logger: Logger;
  readonly #agent;
  readonly #dispatcher;

  constructor(options: OrdersClientOptions) {
    const base = new URL(options.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#key = internalCommandKey(options.signingSecret);
    this.#logger = options.logger.child({ component: 'orders-client' });
    const target = { registry: options.registry, client: 'orders' };
    const breaker = createCircuitBreaker({ ...target, threshold: options.breakerThreshold, halfOpenAfterMs: options.breakerHalfOpenAfterMs, logger: this.#logger });
    this.#agent = createKeepAliveAgent({ connectTimeoutMs: Math.min(1_000, options.timeoutMs) });
    this.#dispatcher = this.#agent.compose([timeOriginRequests(target), ...(options.sign ? [signRequests(options.sign)] : []), deadline(options.timeoutMs), breaker.interceptor]);
  }

  async find(orderId: string): Promise<OrderSnapshot | undefined> {
    const path = `${this.#basePath}/internal/orders/${encodeURIComponent(orderId)}`;
    const correlationId = currentCorrelationId();
    let status: number;
    let body: string;
    try {
      const response = await this.#dispatcher.request({
        origin: this.#origin,
        path,
        method: 'GET',
        headers: {
          accept: 'application/json',
          ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
          ...signRequest({ caller: NOTIFICATIONS_SERVICE, method: 'GET', path }, this.#key),
        },
      });
      status = response.statusCode;
      body = await response.body.text();
    } catch (error) {
      throw new OrdersUnavailableError(`Orders did not answer for order ${orderId}: ${(error as Error).message}`, { cause: error });
    }
    if (status === 404) return undefined;
    if (status !== 200) {
      // 401/403 mean the two services disagree on the signing secret: an outage to fix, not a missing order.
      this.#logger.warn({ status, orderId }, 'Orders refused an order lookup');
      throw new OrdersUnavailableError(`Orders answered ${status} for order ${orderId}: ${body.slice(0, 200)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new OrdersUnavailableError(`Orders answered order ${orderId} with something other than JSON`, { cause: error });
    }
    const parsed = orderView.safeParse(json);
    if (!parsed.success || parsed.data.id !== orderId) {
      const problems = parsed.success ? [`the answer is about order ${parsed.data.id}`] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      this.#logger.error({ orderId, problems }, 'Orders answered an order lookup outside its contract');
      throw new OrdersUnavailableError(`Orders answered order ${orderId} outside its contract: ${problems.slice(0, 3).join('; ')}`);
    }
    const order = parsed.data;
    return {
      id: order.id,
      customerId: order.customerId,
      status: order.status,
      total: order.total,
      items: order.items,
      placedAt: order.placedAt,
      paymentDueAt: order.paymentDueAt ?? undefined,
      cancellationReason: order.cancellationReason ?? undefined,
      email: order.email ?? undefined,
      shippingAddress: order.shippingAddress
        ? { ...order.shippingAddress, line2: order.shippingAddress.line2 ?? undefined, region: order.shippingAddress.region ?? undefined }
        : undefined,
    };
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** Orders' base URL from its GraphQL URL (ORDERS_URL): the internal API sits beside /graphql. */
export function ordersBaseUrl(ordersGraphqlUrl: string): string {
  const url = new URL(ordersGraphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '');
  url.search = '';
  return url.href.replace(/\/+$/, '');
}
