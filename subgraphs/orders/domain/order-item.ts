import { Money, type MoneyProps } from '../../../lib/ddd';

/**
 * One line of an order: the product as it was when the order was placed (name and unit price are snapshots,
 * later catalog changes do not touch placed orders) and how many units.
 */
export class OrderItem {
  private constructor(
    readonly productId: string,
    readonly productName: string,
    readonly unitPrice: Money,
    readonly quantity: number,
  ) {}

  static of(props: { productId: string; productName: string; unitPrice: MoneyProps; quantity: number }): OrderItem {
    return new OrderItem(props.productId, props.productName, Money.from(props.unitPrice, 'unitPrice'), props.quantity);
  }

  get lineTotal(): Money {
    return this.unitPrice.multiply(this.quantity);
  }
}
