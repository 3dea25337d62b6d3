import { randomUUID } from 'node:crypto';
import { CREATE_PRODUCT, productInput, startTestCatalog, type ProductView, type TestCatalog } from '../../../../../test/support/catalog';
import { graphql } from '../../../../../test/support/graphql';
import { TEST_SIGNING_SECRET } from '../../../../../test/support/system';
import { startOriginProxy, type OriginProxy } from './origin-proxy';

type CatalogOptions = NonNullable<Parameters<typeof startTestCatalog>[1]>;

/** The real Catalog service (its own table in the run's DynamoDB Local) behind a counting proxy. */
export interface CatalogOrigin {
  readonly catalog: TestCatalog;
  readonly proxy: OriginProxy;
  /** What the ACL is pointed at: the proxy in front of Catalog. */
  readonly baseUrl: string;
  createProducts(count: number, stockQuantity?: number): Promise<ProductView[]>;
  changePrice(productId: string, amount: number): Promise<void>;
  stop(): Promise<void>;
}

const ADMIN = { sub: 'admin', roles: ['admin'] };

export async function startCatalogOrigin(label: string, options: CatalogOptions = {}): Promise<CatalogOrigin> {
  const catalog = await startTestCatalog(label, options);
  const proxy = await startOriginProxy(catalog.url);
  const batch = randomUUID().slice(0, 8).toUpperCase();
  let created = 0;

  // Catalog's GraphQL API, reached directly the way the gateway does: with a signed admin identity.
  const asAdmin = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const response = await graphql<T>(`${catalog.url}/graphql`, query, variables, { signedAs: { caller: ADMIN, secret: TEST_SIGNING_SECRET } });
    if (response.errors || !response.data) throw new Error(`Catalog refused ${query.slice(0, 40)}...: ${JSON.stringify(response.errors)}`);
    return response.data;
  };

  return {
    catalog,
    proxy,
    baseUrl: proxy.url,
    async createProducts(count, stockQuantity = 7) {
      const products: ProductView[] = [];
      for (let i = 0; i < count; i += 1) {
        created += 1;
        const input = productInput(created, { sku: `ACL-${batch}-${created}`, stockQuantity, category: 'Home & Garden' });
        products.push((await asAdmin<{ createProduct: ProductView }>(CREATE_PRODUCT, { input })).createProduct);
      }
      return products;
    },
    async changePrice(productId, amount) {
      await asAdmin(`mutation($id: ID!, $price: MoneyInput!) { changeProductPrice(id: $id, price: $price) { id } }`, {
        id: productId,
        price: { amount, currency: 'USD' },
      });
    },
    async stop() {
      await proxy.close();
      await catalog.stop();
    },
  };
}
