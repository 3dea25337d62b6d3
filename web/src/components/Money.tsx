import { formatMoney, type MoneyValue } from '../format/money';

export function Money({ value }: { value: MoneyValue }) {
  return <span className="money">{formatMoney(value)}</span>;
}
