/** Several rounds' figures of one measurement: the middle one and how far the others stray from it. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** Min, median (the mean of the middle two for an even count) and max; NaN for each when there is none. */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/** (max - min) / median, in %: how much the rounds disagree. */
export function spreadPercent(spread: Spread): number {
  return spread.median > 0 ? ((spread.max - spread.min) / spread.median) * 100 : Number.NaN;
}
