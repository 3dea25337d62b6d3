import type { Registry } from 'prom-client';
import * as z from 'zod';
import type { RequestSigner } from '../../../../lib/aws/sigv4';
import { CatalogUnavailableError } from '../../../../lib/ddd';
import { InternalApiClient } from '../../../../lib/internal-api';
import type { Logger } from '../../../../lib/logging';
import type { HeldStock, StockHolds } from '../../application/stock-holds';

export interface CatalogStockClientOptions {
  /** Catalog's base URL (the REST origin, config.urls.catalogRest). */
  readonly baseUrl: string;
  /** GATEWAY_SIGNING_SECRET: the internal command key is derived from it (lib/auth/internal-commands.ts). */
  readonly signingSecret: string;
  /** Budget of one command, connection included (STOCK_HOLD_TIMEOUT_MS). */
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

/**
 * Orders' client of Catalog's internal stock-holds commands (lib/internal-api: signed as the Orders service, plus
 * SigV4 on AWS; a deadline per command and a circuit breaker). No cache and no stale-if-error (a hold is never
 * answered from a cache): while Catalog is down, placing an order fails fast with CATALOG_UNAVAILABLE. Not retried
 * here: the caller's retry (same idempotency key, same order id) is safe, since Catalog holds once per order.
 */
export class CatalogStockClient implements StockHolds {
  readonly #client: InternalApiClient;

  constructor(options: CatalogStockClientOptions) {
    this.#client = new InternalApiClient({
      ...options,
      name: 'catalog-stock',
      caller: 'orders',
      defaultField: 'items',
      unavailable: (context, cause) =>
        new CatalogUnavailableError(
          'The product catalog is unavailable: stock could not be held for this order. Try again shortly (with the same idempotency key, the order is placed once).',
          context,
          cause === undefined ? undefined : { cause },
        ),
    });
  }

  async hold(request: Parameters<StockHolds['hold']>[0]): Promise<HeldStock> {
    const held = await this.#client.call('POST', '/internal/stock-holds', {
      body: { orderId: request.orderId, customerId: request.customerId, lines: request.lines },
      schema: heldStock,
      context: { orderId: request.orderId },
    });
    return { orderId: held.orderId, lines: held.lines };
  }

  async release(orderId: string): Promise<void> {
    await this.#client.call('POST', `/internal/stock-holds/${encodeURIComponent(orderId)}/release`, { body: {}, schema: z.unknown(), context: { orderId } });
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
