import { loadConfig } from '../../lib/config';
import type { Clock } from '../../lib/ddd';
import { ensureTable } from '../../lib/dynamodb';
import { createServiceRuntime, type ServiceRuntime } from '../../lib/runtime';
import { catalogTable } from '../../subgraphs/catalog/infrastructure/catalog-table';
import { startCatalog, type CatalogOptions, type RunningCatalog } from '../../subgraphs/catalog/service';
import { testEnv } from './system';

/** A clock the test moves by hand, so timestamps (Last-Modified, list order) are exact, never raced. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface TestCatalog {
  readonly catalog: RunningCatalog;
  readonly runtime: ServiceRuntime;
  /** Base URL, e.g. http://127.0.0.1:45123 */
  readonly url: string;
  stop(): Promise<void>;
}

/** The Catalog service alone on port 0 with its own table in the run's DynamoDB Local. */
export async function startTestCatalog(label: string, options: CatalogOptions = {}, env: Record<string, string> = {}): Promise<TestCatalog> {
  const runtime = createServiceRuntime(loadConfig(testEnv(label, env)), 'catalog');
  await ensureTable(runtime.dynamo.client, runtime.config.dynamodb.tables.catalog, catalogTable);
  const catalog = await startCatalog(runtime, 0, options);
  return {
    catalog,
    runtime,
    url: catalog.http.url,
    async stop() {
      await catalog.stop();
      runtime.dynamo.client.destroy();
    },
  };
}

/** Every field of the public Product type (docs/architecture.md §2). */
export const PRODUCT_FIELDS = 'id sku name description category price { amount currency } stockQuantity inStock createdAt updatedAt';

export interface ProductView {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly price: { readonly amount: number; readonly currency: string };
  readonly stockQuantity: number;
  readonly inStock: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CreateProductInput {
  readonly sku: string;
  readonly name: string;
  readonly description?: string;
  readonly category: string;
  readonly price: { readonly amount: number; readonly currency: string };
  readonly stockQuantity: number;
}

export const CREATE_PRODUCT = `mutation Create($input: CreateProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`;

/** A valid CreateProductInput; `n` keeps SKUs unique within a test file. */
export function productInput(n: number, overrides: Partial<CreateProductInput> = {}): CreateProductInput {
  return {
    sku: `E2E-${String(n).padStart(4, '0')}`,
    name: `Product ${n}`,
    description: `Description ${n}`,
    category: 'e2e',
    price: { amount: 100 + n, currency: 'USD' },
    stockQuantity: n % 5,
    ...overrides,
  };
}
