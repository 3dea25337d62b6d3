import type { Clock } from '../../../lib/ddd';
import type { ProductRepository } from '../domain/product-repository';

/** What Catalog's use cases need from the outside world; built by the composition root. */
export interface CatalogDependencies {
  readonly products: ProductRepository;
  readonly clock: Clock;
  readonly newId: () => string;
}
