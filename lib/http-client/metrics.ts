import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Get-or-create for metrics on an injected registry: several clients (one per downstream service, told apart by
 * their `client` label) may share a service's registry, and prom-client refuses a second metric of one name.
 */
export function counterOn<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<L>;
  if (existing) throw new Error(`metric ${name} is already registered with another type`);
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function gaugeOn<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Gauge) return existing as Gauge<L>;
  if (existing) throw new Error(`metric ${name} is already registered with another type`);
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

export function histogramOn<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: readonly number[],
): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Histogram) return existing as Histogram<L>;
  if (existing) throw new Error(`metric ${name} is already registered with another type`);
  return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [registry] });
}

/** Where the metrics of one client go: the service's registry and the label that names the downstream service. */
export interface ClientMetricsTarget {
  readonly registry: Registry;
  /** Value of the `client` label, e.g. "catalog". */
  readonly client: string;
}
