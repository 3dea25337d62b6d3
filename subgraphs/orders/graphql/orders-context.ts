import DataLoader from 'dataloader';
import type { MoneyProps } from '../../../lib/ddd';
import type { BaseSubgraphContext } from '../../../lib/graphql';
import type { OrdersDependencies } from '../application/orders-dependencies';
import type { ProductCatalog, ProductInfo } from '../application/product-catalog';
import { getOrders } from '../application/read-orders';
import type { Order } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';

/** Entity references Orders returns for types other subgraphs resolve or extend. */
export interface CustomerRef {
  readonly id: string;
}
export interface ProductRef {
  readonly id: string;
}
/** Built by the gateway for subscriptions; Orders only declares the type. */
export interface OrderStatusUpdateRef {
  readonly order: Order;
  readonly previousStatus: OrderStatus | null;
  readonly status: OrderStatus;
  readonly at: string;
}
export type MoneyRef = MoneyProps;

export interface OrdersContext extends BaseSubgraphContext {
  readonly deps: OrdersDependencies;
  readonly loaders: { readonly order: DataLoader<string, Order | null> };
}

/**
 * The catalog as one request sees it: a DataLoader over the anti-corruption layer, so all product lookups of a
 * request are batched and repeated ids are fetched once. A new one per request (dataloader README: never share
 * a loader's cache between users or requests).
 */
export function requestScopedCatalog(catalog: ProductCatalog): ProductCatalog {
  const loader = new DataLoader<string, ProductInfo | null>((ids) => catalog.getProducts(ids), { maxBatchSize: 100 });
  return {
    async getProducts(ids) {
      const results = await loader.loadMany(ids);
      return results.map((result) => {
        if (result instanceof Error) throw result;
        return result;
      });
    },
  };
}

/** Order references in one request (from other subgraphs' entities) become one BatchGetItem, access-checked per order. */
export function createOrderLoader(deps: OrdersDependencies, caller: OrdersContext['caller']): DataLoader<string, Order | null> {
  return new DataLoader((ids: readonly string[]) => getOrders(deps, caller, ids), { maxBatchSize: 100 });
}
