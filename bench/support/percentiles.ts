export interface LatencySummary {
  readonly count: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly meanUs: number;
  readonly minUs: number;
  readonly maxUs: number;
}

/** Nearest-rank percentile (the smallest sample with at least p% of the samples at or below it) of sorted data. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Summary of latencies given in nanoseconds, in microseconds rounded to 0.1 us. */
export function summarize(samplesNs: Float64Array): LatencySummary {
  const sorted = Float64Array.from(samplesNs).sort();
  let total = 0;
  for (const sample of sorted) total += sample;
  const us = (ns: number) => Math.round(ns / 100) / 10;
  return {
    count: sorted.length,
    p50Us: us(percentile(sorted, 50)),
    p90Us: us(percentile(sorted, 90)),
    p99Us: us(percentile(sorted, 99)),
    meanUs: us(total / sorted.length),
    minUs: us(sorted[0]!),
    maxUs: us(sorted[sorted.length - 1]!),
  };
}
