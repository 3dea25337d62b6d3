import { assertCurrency } from './currency';
import { ValidationError, describeValue } from './errors';
import { guard } from './guard';

/**
 * The largest amount, in minor units: GraphQL `Int` is a signed 32-bit integer (GraphQL spec 3.5.1), and
 * `Money.amount` is an `Int`, so anything larger could be stored but never read back (the order list of its
 * customer would fail for good). 21,474,836.47 in a two-decimal currency.
 */
export const MAX_MONEY_AMOUNT = 2_147_483_647;

export interface MoneyProps {
  readonly amount: number;
  readonly currency: string;
}

/**
 * Money in integer minor units (cents) with an ISO 4217 currency code (docs/architecture.md §2). Part of the shared kernel:
 * every context means the same thing by it, and floating point never touches an amount.
 */
export class Money implements MoneyProps {
  private constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}

  /** @param field the input path used in error messages, e.g. `price` or `input.price`. */
  static of(amount: number, currency: string, field = 'price'): Money {
    if (!Number.isSafeInteger(amount)) {
      throw new ValidationError(`${field}.amount`, `${field}.amount must be an integer number of minor units (cents), got ${describeValue(amount)}`, { value: amount });
    }
    if (amount < 0) {
      throw new ValidationError(`${field}.amount`, `${field}.amount must not be negative, got ${amount}`, { value: amount });
    }
    if (amount > MAX_MONEY_AMOUNT) {
      throw new ValidationError(
        `${field}.amount`,
        `${field}.amount must be at most ${MAX_MONEY_AMOUNT} minor units (the largest GraphQL Int), got ${amount}`,
        { value: amount, limit: MAX_MONEY_AMOUNT },
      );
    }
    assertCurrency(`${field}.currency`, currency);
    return new Money(amount, currency);
  }

  static zero(currency: string): Money {
    return Money.of(0, currency, 'currency');
  }

  static from(props: MoneyProps, field = 'price'): Money {
    return Money.of(props.amount, props.currency, field);
  }

  /** @param field names the sum in the error when it would exceed MAX_MONEY_AMOUNT, e.g. `total`. */
  add(other: Money, field = 'amount'): Money {
    this.assertSameCurrency(other);
    return Money.of(this.amount + other.amount, this.currency, field);
  }

  /** @param field names the product in the error when it would exceed MAX_MONEY_AMOUNT, e.g. `items[0].lineTotal`. */
  multiply(factor: number, field = 'amount'): Money {
    guard.integer('quantity', factor, { min: 0 });
    return Money.of(this.amount * factor, this.currency, field);
  }

  equals(other: MoneyProps): boolean {
    return this.amount === other.amount && this.currency === other.currency;
  }

  toJSON(): MoneyProps {
    return { amount: this.amount, currency: this.currency };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new ValidationError('currency', `cannot combine ${this.currency} with ${other.currency}: an amount never mixes currencies`, {
        value: other.currency,
      });
    }
  }
}
