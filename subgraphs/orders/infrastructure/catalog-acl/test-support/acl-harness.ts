import { Registry } from 'prom-client';
import { waitFor } from '../../../../../lib/events/testing/wait-for';
import { createLogger } from '../../../../../lib/logging';
import { sampleSum } from '../../../../../test/support/metrics';
import type { ProductInfo } from '../../../application/product-catalog';
import type { CatalogHttpAcl } from '../catalog-http-acl';
import { createCatalogAcl, type CatalogAclOptions } from '../create-catalog-acl';
import type { CatalogOrigin } from './catalog-origin';

type ProductView = Awaited<ReturnType<CatalogOrigin['createProducts']>>[number];

export interface TestAcl {
  readonly acl: CatalogHttpAcl;
  readonly registry: Registry;
  /** Sum of a metric's samples on the ACL's registry whose labels include `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Waits until the store has finished writing `count` entries in all (Redis acknowledged them). */
  storedEntries(count: number): Promise<void>;
}

export type AclOverrides = Partial<Omit<CatalogAclOptions, 'registry' | 'logger'>>;

/** Opens ACLs with test defaults, each with its own registry, and closes all of them at the end of a test. */
export class AclPool {
  readonly #open: CatalogHttpAcl[] = [];
  readonly #logger = createLogger({ service: 'orders', level: process.env['LOG_LEVEL'] ?? 'silent' });

  open(baseUrl: string, options: AclOverrides): TestAcl {
    const registry = new Registry();
    const acl = createCatalogAcl({
      baseUrl,
      // Generous bounds: the tests count origin requests and cache hits exactly, and a Redis command or a Catalog
      // answer slowed past a tight bound by a loaded machine would turn a hit into a miss or a lookup into an error.
      // Tests about those bounds set their own.
      timeoutMs: 10_000,
      cacheCommandTimeoutMs: 5_000,
      breakerThreshold: 5,
      breakerHalfOpenAfterMs: 30_000,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      ...options,
      registry,
      logger: this.#logger,
    });
    this.#open.push(acl);
    const metric = async (name: string, labels: Record<string, string> = {}) => sampleSum(await registry.metrics(), name, labels);
    return {
      acl,
      registry,
      metric,
      async storedEntries(count) {
        await waitFor(`${count} cache writes`, async () => (await metric('http_client_cache_writes_total')) >= count);
      },
    };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#open.splice(0).map((acl) => acl.close()));
  }
}

/** Orders' view of a Catalog product: what the ACL must return for it. */
export function productInfoOf(product: ProductView): ProductInfo {
  return { id: product.id, name: product.name, unitPrice: product.price, availableQuantity: product.stockQuantity };
}

/** The error a rejected promise carries, for matching on its stable code. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject');
}
