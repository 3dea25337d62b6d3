import { AggregateRoot, Money, guard, type MoneyProps } from '../../../lib/ddd';
import type { ProductEvent } from './product-events';
import { Sku } from './sku';

export const PRODUCT_LIMITS = {
  name: { min: 1, max: 200 },
  description: { max: 2000 },
  category: { min: 1, max: 64 },
  stockQuantity: { min: 0, max: 1_000_000_000 },
} as const;

/** Categories name cache tags and index keys, so they stay printable and free of separators. */
const CATEGORY = /^[A-Za-z0-9][A-Za-z0-9 &'-]*$/;

export interface ProductState {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly price: MoneyProps;
  /** Units available to order now: on hand minus held by open orders. */
  readonly stockQuantity: number;
  /** Units held by open orders (stock holds not yet released or sold). */
  readonly reservedQuantity: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /**
   * Optimistic-concurrency version of the descriptive fields as read from storage; the repository increments it
   * on save. Stock holds change the stock figures without it, so they never conflict with an edit of the name.
   */
  readonly version: number;
}

export interface NewProduct {
  readonly sku: string;
  readonly name: string;
  readonly description?: string | null;
  readonly category: string;
  readonly price: MoneyProps;
  readonly stockQuantity: number;
}

export interface ProductChanges {
  readonly name?: string | null;
  readonly description?: string | null;
  readonly category?: string | null;
  readonly stockQuantity?: number | null;
}

function validName(value: string): string {
  return guard.text('name', value, PRODUCT_LIMITS.name);
}

function validDescription(value: string): string {
  return guard.text('description', value, PRODUCT_LIMITS.description);
}

function validCategory(value: string): string {
  const trimmed = guard.text('category', value, PRODUCT_LIMITS.category);
  return guard.pattern('category', trimmed, CATEGORY, "letters, digits, spaces, '&', apostrophes and dashes, starting with a letter or digit");
}

function validStock(value: number): number {
  return guard.integer('stockQuantity', value, PRODUCT_LIMITS.stockQuantity);
}

/** A sellable product: its identity, description, price and stock figure. Catalog is its only writer. */
export class Product extends AggregateRoot<ProductEvent> {
  /** The available quantity as read, while a restock waits to be stored (the repository writes it conditionally). */
  private stockAsRead: number | undefined;

  private constructor(private state: ProductState) {
    super();
  }

  static create(input: NewProduct, identity: { id: string; now: Date }): Product {
    const sku = Sku.of(input.sku);
    const price = Money.from(input.price);
    const product = new Product({
      id: identity.id,
      sku: sku.value,
      name: validName(input.name),
      description: validDescription(input.description ?? ''),
      category: validCategory(input.category),
      price: price.toJSON(),
      stockQuantity: validStock(input.stockQuantity),
      reservedQuantity: 0,
      createdAt: identity.now,
      updatedAt: identity.now,
      version: 1,
    });
    product.record({
      type: 'product.created',
      occurredAt: identity.now.toISOString(),
      data: {
        productId: identity.id,
        sku: sku.value,
        category: product.state.category,
        name: product.state.name,
        price: price.toJSON(),
        stockQuantity: product.state.stockQuantity,
      },
    });
    return product;
  }

  /** Rebuilds a product from storage; no events, no validation beyond what the stored data guarantees. */
  static restore(state: ProductState): Product {
    return new Product(state);
  }

  get id(): string {
    return this.state.id;
  }
  get sku(): string {
    return this.state.sku;
  }
  get name(): string {
    return this.state.name;
  }
  get description(): string {
    return this.state.description;
  }
  get category(): string {
    return this.state.category;
  }
  get price(): MoneyProps {
    return this.state.price;
  }
  get stockQuantity(): number {
    return this.state.stockQuantity;
  }
  get reservedQuantity(): number {
    return this.state.reservedQuantity;
  }
  get inStock(): boolean {
    return this.state.stockQuantity > 0;
  }
  /**
   * A restock not stored yet: the available quantity as read and the one to set. Holds change the available
   * quantity all the time, so the repository sets it only if it is still what was read, and never touches the
   * reserved quantity: a restock never disturbs existing holds.
   */
  get pendingRestock(): { readonly from: number; readonly to: number } | undefined {
    return this.stockAsRead === undefined ? undefined : { from: this.stockAsRead, to: this.state.stockQuantity };
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }
  get version(): number {
    return this.state.version;
  }

  snapshot(): ProductState {
    return this.state;
  }

  /**
   * Applies the given changes; fields left out or null keep their value. `stockQuantity` sets the quantity available
   * to order now (a restock or a correction; held units stay held). Records `product.updated` when anything changed.
   */
  update(changes: ProductChanges, now: Date): void {
    const next = {
      name: changes.name != null ? validName(changes.name) : this.state.name,
      description: changes.description != null ? validDescription(changes.description) : this.state.description,
      category: changes.category != null ? validCategory(changes.category) : this.state.category,
      stockQuantity: changes.stockQuantity != null ? validStock(changes.stockQuantity) : this.state.stockQuantity,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => next[key] !== this.state[key]);
    if (changed.length === 0) return;
    const previousCategory = this.state.category;
    if (changed.includes('stockQuantity')) this.stockAsRead ??= this.state.stockQuantity;
    this.state = { ...this.state, ...next, updatedAt: now };
    this.record({
      type: 'product.updated',
      occurredAt: now.toISOString(),
      data: {
        productId: this.state.id,
        sku: this.state.sku,
        category: this.state.category,
        changed,
        ...(previousCategory !== this.state.category ? { previousCategory } : {}),
      },
    });
  }

  /** Sets a new price; records `product.price.changed` with the old and new price when it differs. */
  changePrice(price: MoneyProps, now: Date): void {
    const next = Money.from(price);
    if (next.equals(this.state.price)) return;
    const oldPrice = this.state.price;
    this.state = { ...this.state, price: next.toJSON(), updatedAt: now };
    this.record({
      type: 'product.price.changed',
      occurredAt: now.toISOString(),
      data: { productId: this.state.id, sku: this.state.sku, category: this.state.category, oldPrice, newPrice: next.toJSON() },
    });
  }
}
