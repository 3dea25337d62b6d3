import { NotFoundError, describeValue } from '../../../lib/ddd';
import type { Product } from '../domain/product';
import type { CatalogDependencies } from './catalog-dependencies';

/** The product a command targets; a command on an unknown product is NOT_FOUND. */
export async function loadProduct(deps: CatalogDependencies, id: string): Promise<Product> {
  const product = await deps.products.findById(id);
  if (!product) throw new NotFoundError(`no product with id ${describeValue(id)}`, { field: 'id', value: id });
  return product;
}
