import { assertCurrency } from './currency';
import { ValidationError, describeValue } from './errors';
import { guard } from './guard';

export interface MoneyProps {
  readonly amount: number;
  readonly currency: string;
}

/**
 * Money in integer minor units (cents) with an ISO 4217 currency code (DESIGN.md 2). Part of the shared kernel:
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
    assertCurrency(`${field}.currency`, currency);
    return new Money(amount, currency);
  }

  static zero(currency: string): Money {
    return Money.of(0, currency, 'currency');
  }

  static from(props: MoneyProps, field = 'price'): Money {
    return Money.of(props.amount, props.currency, field);
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(this.amount + other.amount, this.currency);
  }

  multiply(factor: number): Money {
    guard.integer('quantity', factor, { min: 0 });
    return Money.of(this.amount * factor, this.currency);
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
