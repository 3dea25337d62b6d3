import { DateTimeScalar, toConnection } from '../../../lib/graphql';
import { changeProductPrice } from '../application/change-product-price';
import { createProduct } from '../application/create-product';
import { listProducts } from '../application/list-products';
import { updateProduct } from '../application/update-product';
import type { Product } from '../domain/product';
import type { Resolvers } from './__generated__/resolvers-types';

/** Catalog's part of the graph: thin adapters from GraphQL arguments to use cases. */
export const catalogResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    product: (_, { id }, ctx) => ctx.loaders.product.load(id),
    products: async (_, args, ctx) => toConnection(await listProducts(ctx.deps, args)),
  },
  Mutation: {
    createProduct: (_, { input }, ctx) => createProduct(ctx.deps, ctx.caller, input),
    updateProduct: (_, { id, input }, ctx) => updateProduct(ctx.deps, ctx.caller, id, input),
    changeProductPrice: (_, { id, price }, ctx) => changeProductPrice(ctx.deps, ctx.caller, id, price),
  },
  Product: {
    __resolveReference: (reference, ctx) => ctx.loaders.product.load(reference.id),
    price: (product: Product) => product.price,
  },
};
