import type { Registry } from 'prom-client';
import * as z from 'zod';
import { ORDERS_SERVICE, internalCommandKey, signRequest } from '../../../../lib/auth';
import type { RequestSigner } from '../../../../lib/aws/sigv4';
import {
  CatalogUnavailableError,
  ConflictError,
  ErrorCode,
  NotFoundError,
  ProductUnavailableError,
  ValidationError,
  type AppError,
} from '../../../../lib/ddd';
import { createCircuitBreaker, createKeepAliveAgent, deadline, timeOriginRequests } from '../../../../lib/http-client';
import { signRequests } from '../../../../lib/http-client/sign-requests';
import { CORRELATION_HEADER, currentCorrelationId, type Logger } from '../../../../lib/logging';
import type { HeldStock, StockHolds } from '../../application/stock-holds';

export interface CatalogStockClientOptions {
  /** Catalog's base URL (the REST origin, config.urls.catalogRest). */
  readonly baseUrl: string;
  /** GATEWAY_SIGNING_SECRET: the internal command key is derived from it (lib/auth/internal-commands.ts). */
  readonly signingSecret: string;
  /** Budget of one command, connection included (CATALOG_TIMEOUT_MS). */
  readonly timeoutMs: number;
  readonly breakerThreshold: number;
  readonly breakerHalfOpenAfterMs: number;
  /** SigV4 when Catalog is an IAM-authenticated Lambda function URL. */
  readonly sign?: RequestSigner | undefined;
  readonly registry: Registry;
  readonly logger: Logger;
}

const heldStock = z.object({
  orderId: z.string(),
  status: z.enum(['HELD', 'CLAIMED']),
  lines: z
    .array(
      z.object({
        productId: z.string(),
        quantity: z.number().int().positive(),
        productName: z.string().min(1),
        unitPrice: z.object({ amount: z.number().int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) }),
      }),
    )
    .min(1),
});

const catalogError = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });

/**
 * Orders' client of Catalog's internal stock-holds commands, and the one place that signs them: the Orders service
 * identity with the internal command key (plus SigV4 on AWS). No cache and no stale-if-error (a hold is never
 * answered from a cache), a deadline per command and a circuit breaker: while Catalog is down, placing an order
 * fails fast with CATALOG_UNAVAILABLE. Not retried here: the caller's retry (same idempotency key, same order
 * id) is safe, since Catalog holds once per order.
 */
export class CatalogStockClient implements StockHolds {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #key: string;
  readonly #logger: Logger;
  readonly #dispatcher;
  readonly #agent;

  constructor(options: CatalogStockClientOptions) {
    const base = new URL(options.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#key = internalCommandKey(options.signingSecret);
    this.#logger = options.logger.child({ component: 'catalog-stock' });
    const target = { registry: options.registry, client: 'catalog-stock' };
    const breaker = createCircuitBreaker({ ...target, threshold: options.breakerThreshold, halfOpenAfterMs: options.breakerHalfOpenAfterMs, logger: this.#logger });
    this.#agent = createKeepAliveAgent({ connectTimeoutMs: Math.min(1_000, options.timeoutMs) });
    this.#dispatcher = this.#agent.compose([
      timeOriginRequests(target),
      ...(options.sign ? [signRequests(options.sign)] : []),
      deadline(options.timeoutMs),
      breaker.interceptor,
    ]);
  }

  async hold(request: Parameters<StockHolds['hold']>[0]): Promise<HeldStock> {
    const body = JSON.stringify({ orderId: request.orderId, customerId: request.customerId, lines: request.lines });
    const { status, json } = await this.#send('POST', '/internal/stock-holds', body, request.orderId);
    if (status === 200) {
      const parsed = heldStock.safeParse(json);
      if (parsed.success) return { orderId: parsed.data.orderId, lines: parsed.data.lines };
      this.#logger.error({ problems: parsed.error.issues.map((issue) => issue.message), orderId: request.orderId }, 'Catalog answered a hold Orders cannot read');
      throw this.#unavailable(request.orderId);
    }
    throw this.#refusal(status, json, request.orderId);
  }

  async release(orderId: string): Promise<void> {
    const { status, json } = await this.#send('POST', `/internal/stock-holds/${encodeURIComponent(orderId)}/release`, '{}', orderId);
    if (status !== 200) throw this.#refusal(status, json, orderId);
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  async #send(method: string, path: string, body: string, orderId: string): Promise<{ status: number; json: unknown }> {
    const correlationId = currentCorrelationId();
    const target = `${this.#basePath}${path}`;
    try {
      const response = await this.#dispatcher.request({
        origin: this.#origin,
        path: target,
        method,
        body,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
          ...signRequest({ caller: ORDERS_SERVICE, method, path: target, body }, this.#key),
        },
      });
      const text = await response.body.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.statusCode, json };
    } catch (error) {
      this.#logger.warn({ err: error, orderId }, 'Catalog stock command failed');
      throw this.#unavailable(orderId, error);
    }
  }

  /** Catalog's refusal as Orders' own error; anything outside the contract is CATALOG_UNAVAILABLE. */
  #refusal(status: number, json: unknown, orderId: string): AppError {
    const parsed = catalogError.safeParse(json);
    if (!parsed.success || status >= 500) {
      this.#logger.warn({ status, orderId }, 'Catalog could not run a stock command');
      return this.#unavailable(orderId);
    }
    const { code, message, details } = parsed.data.error;
    switch (code) {
      case ErrorCode.NOT_FOUND:
        return new NotFoundError(message, details);
      case ErrorCode.PRODUCT_UNAVAILABLE:
        return new ProductUnavailableError(message, details);
      case ErrorCode.BAD_USER_INPUT:
        return new ValidationError(typeof details?.['field'] === 'string' ? details['field'] : 'items', message, details);
      case ErrorCode.CONFLICT:
        return new ConflictError(message, details);
      default:
        // UNAUTHENTICATED / FORBIDDEN mean Orders and Catalog disagree on the signing secret: an outage, not the client's fault.
        this.#logger.error({ status, code, orderId }, 'Catalog refused a stock command from Orders');
        return this.#unavailable(orderId);
    }
  }

  #unavailable(orderId: string, cause?: unknown): CatalogUnavailableError {
    return new CatalogUnavailableError(
      'The product catalog is unavailable: stock could not be held for this order. Try again shortly (with the same idempotency key, the order is placed once).',
      { orderId },
      cause === undefined ? undefined : { cause },
    );
  }
}
