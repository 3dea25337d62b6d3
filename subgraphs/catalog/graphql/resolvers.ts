import { isAdmin } from '../../../lib/auth';
import { ValidationError, describeValue } from '../../../lib/ddd';
import { PRODUCT_LIST_TAG, productTag } from '../../../lib/events/product-changes';
import { DateTimeScalar, toConnection } from '../../../lib/graphql';
import { changeProductPrice } from '../application/change-product-price';
import { createProduct } from '../application/create-product';
import { listProducts } from '../application/list-products';
import { updateProduct } from '../application/update-product';
import type { Product } from '../domain/product';
import type { Resolvers } from './__generated__/resolvers-types';
import type { CatalogContext } from './catalog-context';

function tagged(ctx: CatalogContext, product: Product, ...more: string[]): Product {
  ctx.cacheTags.add(productTag(product.id));
  for (const tag of more) ctx.cacheTags.add(tag);
  return product;
}

/** Catalog's part of the graph: thin adapters from GraphQL arguments to use cases. */
export const catalogResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    product: (_, { id }, ctx) => ctx.loaders.product.load(id),
    products: async (_, args, ctx) => {
      const page = await listProducts(ctx.deps, args);
      ctx.cacheTags.add(PRODUCT_LIST_TAG);
      for (const edge of page.edges) ctx.cacheTags.add(productTag(edge.node.id));
      return toConnection(page);
    },
  },
  Mutation: {
    // A write names what it changed in `cache-tags`, so the gateway drops its cached copies before it answers.
    createProduct: async (_, { input }, ctx) => tagged(ctx, await createProduct(ctx.deps, ctx.caller, input), PRODUCT_LIST_TAG),
    updateProduct: async (_, { id, input }, ctx) => tagged(ctx, await updateProduct(ctx.deps, ctx.caller, id, input), PRODUCT_LIST_TAG),
    changeProductPrice: async (_, { id, price }, ctx) => tagged(ctx, await changeProductPrice(ctx.deps, ctx.caller, id, price)),
  },
  Product: {
    // The gateway always sends `{ __typename, id }`; anything else reached the subgraph directly and is bad
    // input (DataLoader would throw a TypeError on a missing key and mask it as an internal error).
    __resolveReference: (reference, ctx) => {
      const id: unknown = reference.id;
      if (typeof id !== 'string') {
        throw new ValidationError('representations', `a Product representation needs a string id, got ${describeValue(id)}`, { value: describeValue(id) });
      }
      return ctx.loaders.product.load(id);
    },
    price: (product: Product) => product.price,
    // Admin only; null for anyone else (an error here would null the whole product for a storefront query).
    reservedQuantity: (product: Product, _args, ctx) => (isAdmin(ctx.caller) ? product.reservedQuantity : null),
  },
};
