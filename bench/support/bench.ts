/** What a benchmark module exports: `run` starts what it needs, measures, stops everything, and reports. */
export interface BenchReport {
  /** Human-readable figures, printed as they are. */
  readonly summary: string;
  /** Machine-readable figures, written to bench/results/<name>.json. */
  readonly data: Record<string, unknown>;
}

export type Bench = () => Promise<BenchReport>;

export interface Target {
  readonly what: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** Fixed-width text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The "Targets" block every report ends with: each target, what was measured, and whether it was met. */
export function targetsSection(targets: readonly Target[]): string {
  return ['Targets:', table(['what', 'target', 'measured', 'met'], targets.map((t) => [t.what, t.target, t.measured, t.met ? 'met' : 'MISSED']))].join('\n');
}
