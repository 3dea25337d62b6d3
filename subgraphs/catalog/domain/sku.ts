import { guard } from '../../../lib/ddd';

const SKU = /^[A-Z0-9-]{3,64}$/;

/** Stock keeping unit: upper-case letters, digits and dashes, 3-64 characters; unique across the catalog. */
export class Sku {
  private constructor(readonly value: string) {}

  static of(value: string, field = 'sku'): Sku {
    return new Sku(guard.pattern(field, value, SKU, 'upper-case letters, digits and dashes, 3-64 characters'));
  }

  toString(): string {
    return this.value;
  }
}
